"""One module per hostile-format defence, each run before python-calamine sees the file.

zip_directory  the zip's own directory: member count, duplicate names, declared sizes, ratio,
               encrypted members
zip_members    every member inflated once (by zipfile) to prove its real size and CRC
xml_prolog     no DTD / entity declarations in any XML part
cell_area      the dense cell area calamine would allocate for a sheet (xlsx and xls)
ole            the compound-file container of .xls / .et, and encrypted OOXML stored in one
biff           the records of a legacy .xls workbook stream (DIMENSIONS, FILEPASS, cell extent)

Each module's docstring names the upstream reader bug or limitation it defends against.
"""
