"""The table-import kit: what every importer of spreadsheets and Word tables shares.

- :mod:`~shared.tables.sources`: rows of XLSX sheets, CSV files and DOCX tables, streamed in
  bounded memory, with the merged cells of Word tables spread over the grid;
- :mod:`~shared.tables.header`: columns named by header words (matched through
  :func:`shared.text.fold_words`), the header row found among the first rows, two-row headers;
- :mod:`~shared.tables.cells`: cell values as text, yes/no and dates;
- :mod:`~shared.tables.errors`: the table errors and the one row-error contract,
  :class:`~shared.tables.errors.ImportRowsInvalid`;
- :mod:`~shared.tables.formulas`: the guard that keeps exported cells from being formulas.

Files are checked first with :func:`shared.uploads.check_upload`. The layout of a particular
table (which columns mean what) belongs to the service that imports it.
"""
