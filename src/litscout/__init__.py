"""litscout: what is the latest on X?"""

__version__ = "0.1.0"
