"""SmartCourt (智慧法院平台)."""
