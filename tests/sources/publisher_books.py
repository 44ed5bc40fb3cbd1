"""Tiny hand-made workbooks in the layouts of the ecological-ceiling publishers (tests/fixtures/README.md).

Each function writes a few made-up rows with openpyxl, imitating one official workbook's
sheet names, title rows, header wording (line breaks, notes, typos) and cell markers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook

EDM_HEADER = [
    "Water Company Name", "Site Name\n(EA Consents Database)", "Site Name\n(WaSC operational)\n[optional]",
    "EA Permit Reference\n(EA Consents Database)", "Storm Discharge Asset Type",
    "Outlet Discharge NGR\n(EA Consents Database)", "Initial EDM Commission Date",
    "Total Duration (hrs) all spills prior to processing through 12-24h count method",
    "Counted spills using 12-24h count method", "EDM Operation -\n% of reporting period EDM operational",
]  # fmt: skip


def edm_book(path: Path, year: int, sheets: dict[str, Sequence[tuple[object, object, object]]]) -> Path:
    """An EDM storm overflow annual return: one sheet per company, rows of (NGR, hours, spills)."""
    book = Workbook()
    book.remove(book.active)
    for company, rows in sheets.items():
        sheet = book.create_sheet(f"{company} {year}")
        sheet.append([f"EDM STORM OVERFLOW REGULATORY ANNUAL RETURN - {year}"])
        sheet.append(EDM_HEADER)
        for number, (ngr, hours, spills) in enumerate(rows, start=1):
            sheet.append([company, f"SITE {number} CSO", None, f"P{number:04d}", "SO on sewer network", ngr,
                          "Commissioned pre-2016", hours, spills, 0.99])  # fmt: skip
        sheet.append([None] * len(EDM_HEADER))
    book.save(path)
    return path


def gardens_book(path: Path, lads: Iterable[tuple[str, str, int, int]], england: tuple[int, int]) -> Path:
    """ONS private outdoor space tables: ``LAD gardens`` rows (code, name, addresses, with space) and England."""
    book = Workbook()
    book.active.title = "Readme"
    groups = ["Property type: Houses", None, None, None, None, None, "Property type: Flats", None, None, None, None,
              None, None, "Property type: Total", None, None, None, None]  # fmt: skip
    houses = ["Address count", "Adress with private outdoor space count", "Private outdoor space total area (m2)",
              "Percentage of adresses with private outdoor space", "Average size of private outdoor space (m2)",
              "Median size of private outdoor space (m2)"]  # fmt: skip
    flats = ["Address count", "Adress with private outdoor space count", "Private outdoor space total area (m2)",
             "Private outdoor space count", "Percentage of adresses with private outdoor space",
             "Average size of private outdoor space (m2)", "Average number of flats sharing a garden"]  # fmt: skip
    total = houses[:5]
    measures = houses + flats + total
    country = book.create_sheet("Country gardens")
    country.append(["Country code", "Country", *groups])
    country.append([None, None, *measures])
    country.append([None, "Great Britain", *([1] * 13), 30, 27, 1, 0.9, 1])
    country.append(["E92000001", "England", *([1] * 13), england[0], england[1], 1, 0.88, 1])
    country.append([None])
    country.append(["Source: Ordnance Survey"])
    lad = book.create_sheet("LAD gardens")
    lad.append(["Country code", "Country name", "Region code", "Region name", "LAD code", "LAD name", *groups])
    lad.append([None] * 6 + measures)
    for code, name, addresses, with_space in lads:
        lad.append(["E92000001", "England", "E12000008", "South East", code, name, *([1] * 13), addresses,
                    with_space, 1, round(with_space / addresses, 3), 1])  # fmt: skip
    lad.append(["Source: Ordnance Survey"])
    book.save(path)
    return path


def health_index_book(path: Path, years: dict[int, Iterable[tuple[str, str, str, float, float]]]) -> Path:
    """ONS Health Index yearly sheets: rows of (code, name, type, air pollution, noise complaints)."""
    book = Workbook()
    book.active.title = "Cover_sheet"
    for number, (year, rows) in enumerate(sorted(years.items(), reverse=True), start=3):
        sheet = book.create_sheet(f"Table_{number}_{year}_Index")
        sheet.append([f"Table {number}. Health Index for England ... {year}"])
        sheet.append(["This worksheet contains one table."])
        sheet.append(["Pe, L, and Pl refer to the domain ..."])
        sheet.append(["Pe, L, and Pl refer to the domain the indicators belong to ..."])
        sheet.append(["Area Code", "Area Name", "Area Type [Note 3]", "Healthy People Domain", "Air pollution [Pl5]",
                      "Noise complaints [Pl5]"])  # fmt: skip
        for code, name, kind, air, noise in rows:
            sheet.append([code, name, kind, 100.0, air, noise])
    book.save(path)
    return path


RENEWABLE_TECHNOLOGIES = ["Photovoltaics", "Onshore Wind", "Hydro", "Anaerobic Digestion", "Offshore Wind",
                          "Wave/Tidal", "Sewage Gas", "Landfill Gas", "Municipal Solid Waste", "Animal Biomass",
                          "Plant Biomass", "Cofiring"]  # fmt: skip


def renewables_book(path: Path, years: dict[int, Iterable[tuple[str, str, str, object, dict[str, object]]]]) -> Path:
    """DESNZ renewables by LA: ``LA - Generation, YYYY`` rows of (code, name, country, households, MWh by tech)."""
    book = Workbook()
    book.active.title = "Cover sheet"
    for year, rows in sorted(years.items(), reverse=True):
        sites = book.create_sheet(f"LA - Sites {year}")
        sites.append(["Renewable electricity: number of installations"])
        sheet = book.create_sheet(f"LA - Generation, {year}")
        sheet.append([f"Renewable electricity generation: (MWh) at Local Authority Level - {year}"])
        sheet.append(["This worksheet contains one table"])
        sheet.append(["[X] means there was some generation in this local authority but it has been suppressed"])
        fixed = ["Local Authority Code [note 1]", "Local Authority Name  [note 5]", "Region", "Country"]
        sheet.append([*fixed, "Estimated number of households  [note 2][note 3]", *RENEWABLE_TECHNOLOGIES, "Total"])
        for code, name, country, households, by_tech in rows:
            cells = [by_tech.get(t, 0) for t in RENEWABLE_TECHNOLOGIES]
            total = sum(c for c in cells if isinstance(c, int | float))
            sheet.append([code, name, "South East", country, households, *cells, total])
        sheet.append(["Grand Total (UK)", "[y]", "[y]", "[y]", 1000, *([0] * 12), 0])
    book.save(path)
    return path
