"""The portal's own number and date formats, where Django's locale data falls short
(FORMAT_MODULE_PATH: Django reads a setting here first, then its own locale's)."""
