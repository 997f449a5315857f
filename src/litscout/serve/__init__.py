"""litscout served to other programs: the MCP server for AI assistants (`litscout mcp`)."""
