"""Reading scans offline: page images -> the same grid Document the PDF reader returns.

The OCR models (PP-OCRv4, inside the rapidocr-onnxruntime wheel) are loaded once per
process, on first use; nothing is downloaded.  Part of the core: never imports batch,
store or web.
"""
