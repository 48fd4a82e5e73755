"""The audit log viewer: every audited event, filtered, paged and exported."""
