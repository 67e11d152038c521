"""The household register as an Excel workbook: template, import, export, error report.

One layout (`layout.SHEETS`) drives all four, so a column added there appears in the template,
is read on import, written on export and documented in docs/import-format.md.

    safety.check_workbook   refuse what is not a safe .xlsx (size, zip bomb, formulas)
    reader.read_workbook    python-calamine → rows of raw cells, headers matched by name/alias
    validate.validate       every cell and every cross-sheet reference → a Plan or Issues
                            (plan.py: Places/Context/Plan; rows.py: the column-by-column
                            parse and the issue list; shapes.py: the vectorised shape checks;
                            idcheck.py: the fast resident-ID check)
    writer                  xlsxwriter: template, register export, annotated error workbook
"""
