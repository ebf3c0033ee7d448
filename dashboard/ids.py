"""Every component id of the dashboard, in one place (callbacks and tests import these)."""

URL = "url"
TITLE = "title"
LANG = "lang"
BANNER = "banner"
STATUS = "status"
RETRY = "retry"
DB_OK = "db-ok"
NOTICE = "notice"  # says a link asked for an area or item outside the reader's scope

# controls (their values mirror the URL's query string)
PLAN_LEVEL = "plan-level"
METRIC = "metric"
YEAR = "fiscal-year"
COMPARE = "compare"
CLASSES = "classes"
SECTOR = "sector"
AGENCY = "agency"
SOURCE = "funding-source"
LEVEL = "level"
TILES = "tiles"
RANK_BY = "rank-by"
LABEL = "label"  # prefix: f"{LABEL}-{control id}"

# views
CRUMBS = "breadcrumbs"
MAP = "map"
MAP_HINT = "map-hint"
SIDE = "side-list"
CARDS = "cards"
INDICATORS = "indicators"
RANKING = "ranking"
RANKING_TITLE = "ranking-title"
TABS = "tabs"
TAB_ITEMS = "tab-items"
TAB_ALLOCATIONS = "tab-allocations"
ITEMS = "items-grid"
ALLOCATIONS = "allocations-grid"
SEARCH = "search"
ITEMS_COUNT = "items-count"
ALLOCATIONS_COUNT = "allocations-count"

# sections of the page (the map, and the planning-chain pages); their value is the URL's "view"
PAGE = "page"
VIEW = "view-tabs"
VIEW_TAB = "view-tab"  # prefix: f"{VIEW_TAB}-{view}"

# the escalation funnel
FUNNEL_HEAD = "funnel-head"
FUNNEL = "funnel-graph"
FUNNEL_TABLE = "funnel-table"
FUNNEL_SHAPE = "funnel-shape"
FUNNEL_INDICATORS = "funnel-indicators"

# the trace view
TRACE_HEAD = "trace-head"
TRACE_SEARCH = "trace-search"
TRACE_COUNT = "trace-count"
TRACE_RESULTS = "trace-results"
TRACE_OUTCOME = "trace-outcome"
TRACE_TIMELINE = "trace-timeline"
TRACE_MAP = "trace-map"
TRACE_TRACE = "trace"  # the items grid's column that opens the trace view

# calendar compliance
COMPLIANCE_HEAD = "compliance-head"
COMPLIANCE_MAP = "compliance-map"
COMPLIANCE_LEVELS = "compliance-levels"
LATE_PLANS_HEAD = "late-plans-head"
LATE_PLANS = "late-plans"
LATE_NOTICES_HEAD = "late-notices-head"
LATE_NOTICES = "late-notices"

# overlaps
OVERLAPS_HEAD = "overlaps-head"
OVERLAPS = "overlaps-grid"

# the matching review list
REVIEW_HEAD = "review-head"
REVIEW_LIST = "review-list"
REVIEW_STATUS = "review-status"
REVIEW_DECIDE = "review-decide"  # pattern-matching id type of the accept/reject buttons
REVIEW_DONE = "review-done"  # store: bumped after each recorded decision
EXPORTS = "exports"

# the data page
DATA_CONTENT = "data-content"

# audit page
AUDIT_CONTENT = "audit-content"
AUDIT_ACTOR = "audit-actor"
AUDIT_ACTION = "audit-action"
