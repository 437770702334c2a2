"""OIT compliance crawler: crawl a Thai district office website, audit it against O1-O22."""
__version__ = "0.1.0"
