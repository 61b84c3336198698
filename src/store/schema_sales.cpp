// Schema migration for products, campaigns, pipelines and stages, deals, line items, stage history (see migrations.cpp for its version number).
// Never edit once released: append a new migration instead.
#include "store/migrations.hpp"

namespace crm::detail {

extern const char* const kSalesSchema;
const char* const kSalesSchema = R"sql(
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    name TEXT NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    price_amount INTEGER NOT NULL DEFAULT 0 CHECK (price_amount >= 0),
    price_currency TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX products_name ON products(name);
CREATE INDEX products_series ON products(series);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    name TEXT NOT NULL,
    channel TEXT NOT NULL,
    start_date TEXT,
    end_date TEXT,
    cost_amount INTEGER NOT NULL DEFAULT 0 CHECK (cost_amount >= 0),
    cost_currency TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX campaigns_name ON campaigns(name);

CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE pipeline_stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind TEXT NOT NULL CHECK (kind IN ('open','won','lost'))
);
CREATE INDEX pipeline_stages_pipeline ON pipeline_stages(pipeline_id, position);

CREATE TABLE lost_reasons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE deals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    name TEXT NOT NULL,
    pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id INTEGER NOT NULL REFERENCES pipeline_stages(id),
    status TEXT NOT NULL CHECK (status IN ('open','won','lost')),
    amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency TEXT NOT NULL,
    expected_close_date TEXT,
    owner_id INTEGER REFERENCES users(id),
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    campaign_id INTEGER REFERENCES campaigns(id),
    probability INTEGER CHECK (probability BETWEEN 0 AND 100),
    closed_at INTEGER,
    lost_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX deals_pipeline_stage ON deals(pipeline_id, stage_id);
CREATE INDEX deals_stage ON deals(stage_id);
CREATE INDEX deals_owner ON deals(owner_id);
CREATE INDEX deals_account ON deals(account_id);
CREATE INDEX deals_contact ON deals(contact_id);
CREATE INDEX deals_campaign ON deals(campaign_id);
CREATE INDEX deals_status_close ON deals(status, expected_close_date);

CREATE TABLE deal_line_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
    currency TEXT NOT NULL,
    discount INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deal_line_items_deal ON deal_line_items(deal_id, position);
CREATE INDEX deal_line_items_product ON deal_line_items(product_id);

CREATE TABLE deal_stage_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    from_stage_id INTEGER,
    to_stage_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_id INTEGER
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id, at, id);
)sql";

}  // namespace crm::detail
