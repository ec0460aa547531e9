"""Writers: tables and figures in, files out (HTML, Word, Excel), with the markup, styles and widths.

Nothing here knows what a report says: :mod:`display` shows a table, a chart or a paragraph inside a
notebook and reads them back from an executed notebook; :mod:`html`, :mod:`docx` and :mod:`xlsx`
write them; :mod:`style` fixes the look of every status and chart.
"""
