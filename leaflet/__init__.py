"""leaflet: procedure descriptions -> accessible patient leaflets and audio guides in many languages."""

__version__ = "0.1.0"
