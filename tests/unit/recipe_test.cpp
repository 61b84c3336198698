// The recipe of docs/architecture.md ("Adding an entity kind"), followed for a
// kind that exists only in this test: a vehicle a contact owns. Steps 2, 3 and 6
// of the recipe change files of the library (the Entity enum, the migration list,
// the registry's list); a test cannot, so it uses an Entity value of its own,
// creates the table with the migration's SQL, and adds the kind to the registry
// at run time. Everything else is what a real kind writes, and nothing else is
// needed: the engine, the codec, filters, history, as-of, deletion rules and
// crm::AnyRecords serve it from the descriptor alone.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "helpers.hpp"
#include "records/kind_entry.hpp"

namespace test_kind {

// ---- step 1: the record type (a public header in a real kind) ---------------------
enum class Fuel { petrol, diesel, electric };

struct Vehicle {
    crm::Id id = 0;
    std::string external_id;
    std::string plate;                 // required: 品川 300 さ 12-34
    Fuel fuel = Fuel::petrol;
    std::int64_t seats = 4;
    std::optional<crm::Id> owner_id;   // a contact
    crm::Tags tags;
    crm::CustomFields custom;
    crm::Timestamp created_at = 0, updated_at = 0;
};

// ---- step 2: the kind's Entity value (the next one in crm::Entity in a real kind) --
constexpr crm::Entity kVehicle = static_cast<crm::Entity>(100);

// ---- step 3: the table (an appended migration in a real kind) ---------------------
constexpr const char* kVehiclesSchema = R"sql(
CREATE TABLE vehicles (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,
  plate       TEXT NOT NULL UNIQUE,
  fuel        TEXT NOT NULL,
  seats       INTEGER NOT NULL,
  owner_id    INTEGER REFERENCES contacts(id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX vehicles_owner ON vehicles(owner_id);
)sql";

}  // namespace test_kind

// ---- step 4: the descriptor, beside the kind's code ---------------------------------
namespace crm::records {
namespace {
using namespace caps;
using test_kind::Vehicle;

constexpr const char* kFuels[] = {"petrol", "diesel", "electric"};

constexpr FieldDef<Vehicle> kVehicleFields[] = {
    build::text<&Vehicle::plate>("plate", "plate", F | S | Q | I | L | R, "number plate").unique_as("number plate"),
    build::enumeration<&Vehicle::fuel>("fuel", "fuel", kFuels, F | S | G | I | L, "petrol|diesel|electric"),
    build::integer<&Vehicle::seats>("seats", "seats", F | S | I | L, "seats"),
    build::reference<&Vehicle::owner_id>("owner_id", "owner_id", Entity::contact, F | S | G | I | L, "owner")
        .named("owner"),
};

constexpr RefDef<Vehicle> kVehicleRefs[] = {
    build::detach<&Vehicle::owner_id>("owner_id", "owner_id", Entity::contact, "vehicles"),
};

result<void> validate_vehicle(Write& w, Vehicle& v, const Vehicle*) {
    CRM_TRYV(check_text(w, "plate", v.plate, true));
    if (v.seats < 1 || v.seats > 100) return invalid("seats", "must be 1 … 100");
    return check_reference(w, "owner_id", v.owner_id, Entity::contact);
}

const KindDef<Vehicle> kVehicleKind{test_kind::kVehicle, "vehicle", "vehicles", "vehicles", 100,
                                    kVehicleFields, kVehicleRefs, &validate_vehicle};
}  // namespace

template <>
const KindDef<Vehicle>& kind_def<Vehicle>() noexcept {
    return kVehicleKind;
}

}  // namespace crm::records

// ---- step 5: instantiate the record operations and the codec ------------------------
CRM_RECORD_KIND(test_kind::Vehicle);

namespace {
using namespace crm;
using test_kind::Vehicle;

// ---- step 6: register (one line in src/records/registry.cpp in a real kind) ---------
struct Registered {
    Registered() { records::add_kind(records::entry<Vehicle>()); }
    ~Registered() { records::remove_kind(test_kind::kVehicle); }
};

Db open_with_vehicles(const testing::TempDir& dir) {
    const auto path = dir.file("vehicles.crm");
    auto db = Db::open(path).value();
    SQLite::Database(path, SQLite::OPEN_READWRITE).exec(test_kind::kVehiclesSchema);
    return db;
}
}  // namespace

TEST_CASE("recipe: a kind added by following docs/architecture.md works end to end", "[recipe][registry]") {
    Registered registered;
    testing::TempDir dir;
    auto db = open_with_vehicles(dir);
    const Id owner = db.contacts().create(testing::contact("持ち主 太郎")).value();

    // The registry describes it, from the descriptor alone.
    const EntityInfo* info = entity_info(test_kind::kVehicle);
    REQUIRE(info);
    CHECK(info->name == "vehicle");
    CHECK(std::string(entity_name(test_kind::kVehicle)) == "vehicle");
    CHECK(entity_from_name("vehicle") == test_kind::kVehicle);
    REQUIRE(info->field("owner"));
    CHECK(info->field("owner")->type == ValueType::reference);
    CHECK(info->field("owner")->target == Entity::contact);
    CHECK(info->field("fuel")->values.size() == 3);
    CHECK(info->field("updated_at")->has(cap_computed));
    CHECK(info->field("created_at")->has(cap_import));  // a record brought from elsewhere keeps it
    REQUIRE(info->references.size() == 1);
    CHECK(info->references[0].on_delete == OnDelete::detach);

    // Through AnyRecords (what the C ABI and the CLI use).
    auto any = db.records(test_kind::kVehicle);
    auto id = any.create(R"({"plate":"品川 300 さ 12-34","fuel":"electric","seats":5,"owner_id":)" +
                         std::to_string(owner) + R"(,"tags":["社用車"]})");
    REQUIRE(id);
    auto doc = nlohmann::json::parse(any.get(id.value()).value());
    CHECK(doc["plate"] == "品川 300 さ 12-34");
    CHECK(doc["fuel"] == "electric");
    CHECK(doc["owner_id"] == owner);
    CHECK(doc["tags"] == nlohmann::json::array({"社用車"}));
    auto bad = any.create(R"({"plate":"x","seats":0})");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "seats");
    auto dup = any.create(R"({"plate":"品川 300 さ 12-34"})");
    REQUIRE_FALSE(dup);
    CHECK(dup.error().code == errc::already_exists);
    CHECK(dup.error().field == "plate");
    auto unknown = any.create(R"({"plate":"y","wheels":4})");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().field == "wheels");

    // Typed, through Records<T>, with history and as-of reads.
    auto vehicles = db.records<Vehicle>();
    Timestamp t = 1'800'000'000'000;
    db.set_clock([&] { return t; });
    REQUIRE(vehicles.patch(id.value(), R"({"seats":7})"));
    t += 1000;
    Vehicle v = vehicles.get(id.value()).value();
    CHECK(v.seats == 7);
    CHECK(v.fuel == test_kind::Fuel::electric);
    auto history = vehicles.history(id.value()).value();
    REQUIRE(history.size() == 2);
    CHECK(history[1].field == "seats");
    CHECK(history[1].old_value == "5");
    CHECK(vehicles.get_as_of(id.value(), t - 2000).value().seats == 5);

    // Filters and sort keys from the descriptor.
    REQUIRE(vehicles.create(Vehicle{0, "", "練馬 500 あ 99-99", test_kind::Fuel::diesel, 2, {}, {}, {}, 0, 0}));
    CHECK(vehicles.count({parse_filter("seats>=6").value()}).value() == 1);
    CHECK(vehicles.count({parse_filter("fuel=diesel").value()}).value() == 1);
    CHECK(vehicles.count({parse_filter("tag=社用車").value()}).value() == 1);
    ListOptions o;
    o.order_by = "seats";
    auto page = vehicles.list(o).value();
    REQUIRE(page.items.size() == 2);
    CHECK(page.items[0].seats == 2);
    CHECK_FALSE(vehicles.count({parse_filter("wheels=4").value()}));

    // Deleting the owner detaches the vehicle through an update with its history row.
    REQUIRE(db.contacts().remove(owner));
    v = vehicles.get(id.value()).value();
    CHECK_FALSE(v.owner_id);
    CHECK(vehicles.history(id.value()).value().back().field == "owner_id");

    // The codec: to_json / from_json / merge_patch.
    auto round = from_json<Vehicle>(to_json(v)).value();
    CHECK(round.plate == v.plate);
    CHECK(merge_patch(v, R"({"fuel":"petrol"})").value().fuel == test_kind::Fuel::petrol);
}
