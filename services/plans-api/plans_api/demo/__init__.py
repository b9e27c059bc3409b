"""Demo data: the units, plans, targets and task tables of the four seed documents, synthetic
officials, and (in demo mode only) the demo accounts. Load it with
:func:`plans_api.demo.loader.load_demo`."""
