"""Running reports: papermill, isolated and parallel runs, the kinds of report, refreshing notebooks."""
