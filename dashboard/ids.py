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

# the upload page (officers): a file's dry run, its load, and the officer's sources
UPLOAD = "upload-file"  # dcc.Upload
UPLOAD_FILE = "upload-file-info"  # what was received (first output of the upload callback)
UPLOAD_TOKEN = "upload-token"  # store: the server-side upload's token, nothing else
UPLOAD_KIND = "upload-kind"
UPLOAD_LEVEL = "upload-level"
UPLOAD_YEAR = "upload-year"
UPLOAD_NAME = "upload-name"
UPLOAD_DECIDE = "upload-decide"  # prefix: f"{UPLOAD_DECIDE}-{decision}"
UPLOAD_REJECTS_OK = "upload-allow-rejects"
UPLOAD_CHECK = "upload-check"  # the dry-run button
UPLOAD_RESULT = "upload-result"
UPLOAD_CONFIRM = "upload-confirm"
UPLOAD_CANCEL = "upload-cancel"
UPLOAD_STATUS = "upload-status"  # the outcome of confirm / cancel
UPLOAD_LOADED = "upload-loaded"  # store: bumped after a load
UPLOAD_SOURCES = "upload-sources"
UPLOAD_REMOVE = "upload-remove"  # pattern-matching id type of the remove buttons (source id)
UPLOAD_REMOVED = "upload-removed"  # the outcome of a removal
UPLOAD_REMOVED_N = "upload-removed-n"  # store: bumped after a removal

# the place search in the header (its value: the area code picked; options: what matches)
PLACE = "place-search"

# the trend over the loaded fiscal years
TREND_HEAD = "trend-head"
TREND_GRAPH = "trend-graph"
TREND_TABLE = "trend-table"

# need against funding: the bivariate map, its legend, the high-need low-funding list, hotspots
NEED_HEAD = "need-head"
NEED_MAP = "need-map"
NEED_LEGEND = "need-legend"
NEED_LIST = "need-list"
NEED_LIST_TITLE = "need-list-title"
HOTSPOT_MAP = "hotspot-map"
HOTSPOT_NOTE = "hotspot-note"

# two areas side by side (the URL's ``vs`` is the second)
COMPARE_HEAD = "compare-head"
COMPARE_PICK = "compare-pick"  # dropdown: the area to set beside the selected one
COMPARE_SIDE = "compare-side"  # prefix: f"{COMPARE_SIDE}-a" / "-b" (each side's cards and indicators)
COMPARE_MAP = "compare-map"  # prefix: f"{COMPARE_MAP}-a" / "-b"
