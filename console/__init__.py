"""Qt side of the console: windows, controllers, Qt models and adapters over cti/ and db/."""

APP_NAME = "HotlineConsole"
APP_ORG = "HotlineConsole"
APP_VERSION = "0.1.0"
