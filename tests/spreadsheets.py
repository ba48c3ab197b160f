"""Reading an admin download back, as the person who opens it would: its rows of cell values."""

import csv
import io

from openpyxl import load_workbook


def downloaded_rows(response) -> list[list]:
    """The rows of a CSV or XLSX download (an XLSX cell keeps its type: number, date, text)."""
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(content.decode())))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [["" if cell is None else cell for cell in row] for row in sheet.values]
