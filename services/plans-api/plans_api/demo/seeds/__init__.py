"""The four seed documents as structured data (``/shared/seeds`` 000, 001, 003, 004).

Text is quoted from the documents; the line wraps of the plain-text extraction are joined, and a
cell's own line breaks (the ``+`` items of a list) are kept.
"""

from plans_api.demo.records import PlanRecord
from plans_api.demo.seeds.can_tho_57 import PLAN as CAN_THO_57
from plans_api.demo.seeds.hcm_2709 import PLAN as HCM_2709
from plans_api.demo.seeds.hcm_2709_plan import PLAN as HCM_2709_PLAN
from plans_api.demo.seeds.soc_trang_04 import PLAN as SOC_TRANG_04

# Parents before children (the implementation plan of 001 refers to the scheme of 004).
PLANS: tuple[PlanRecord, ...] = (CAN_THO_57, HCM_2709, HCM_2709_PLAN, SOC_TRANG_04)
