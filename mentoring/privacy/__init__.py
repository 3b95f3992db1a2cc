"""Data rights (download, deletion) and retention, as registries every domain adds to."""
