// C ABI: import and export (crm/import.hpp, docs/import.md).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "capi_internal.hpp"
#include "crm/import.hpp"

using namespace crm::capi;
namespace imp = crm::import;

namespace {

int read_mapping(const char* text, imp::Mapping& out) {
    if (int rc = check_text(text, "mapping_json")) return rc;
    auto m = imp::parse_mapping(text);
    if (!m) return set_error(m.error());
    out = std::move(m).value();
    return CRM_OK;
}

int read_format(const nlohmann::json& v, const char* where, imp::Format& out) {
    if (!v.is_string() || (v != "csv" && v != "jsonl"))
        return set_error(CRM_EINVALID, std::string(where) + ": format must be \"csv\" or \"jsonl\"", where);
    out = v == "csv" ? imp::Format::csv : imp::Format::jsonl;
    return CRM_OK;
}

int read_import_options(const char* text, imp::Options& o) {
    if (!text) return CRM_OK;
    nlohmann::json doc;
    if (int rc = parse_json(text, "options_json", doc)) return rc;
    if (!doc.is_object()) return set_error(CRM_EINVALID, "options_json: must be an object", "options_json");
    for (const auto& [k, v] : doc.items()) {
        if (k == "format") {
            if (int rc = read_format(v, "options_json.format", o.format)) return rc;
        } else if (k == "dry_run" && v.is_boolean()) {
            o.dry_run = v.get<bool>();
        } else if (k == "rejects" && v.is_string()) {
            o.reject_path = v.get<std::string>();
        } else if (k == "source_name" && v.is_string()) {
            o.source_name = v.get<std::string>();
        } else if (k == "rows_per_commit" && v.is_number_integer() && v.get<std::int64_t>() >= 1 &&
                   v.get<std::int64_t>() <= 1000000) {
            o.rows_per_commit = v.get<std::size_t>();
        } else {
            return set_error(CRM_EINVALID,
                             "options_json." + k + ": not an import option of that type (format, dry_run, rejects, "
                             "source_name, rows_per_commit 1 … 1000000)",
                             "options_json." + k);
        }
    }
    return CRM_OK;
}

int give_report(char** out, const crm::result<imp::Report>& r) {
    if (!r) return set_error(r.error());
    return give(out, imp::to_json(r.value()));
}

}  // namespace

extern "C" {

CRM_API int crm_import_file(crm_db* db, const char* mapping_json, const char* path, const char* options_json,
                            char** out_report_json) {
    return guard([&] {
        if (int rc = check_ptr(out_report_json, "out_report_json")) return rc;
        *out_report_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_ptr(path, "path")) return rc;
        imp::Mapping m;
        if (int rc = read_mapping(mapping_json, m)) return rc;
        imp::Options o;
        if (int rc = read_import_options(options_json, o)) return rc;
        return give_report(out_report_json, db->state->db.imports().run_file(m, path, o));
    });
}

CRM_API int crm_import_buffer(crm_db* db, const char* mapping_json, const char* data, size_t size,
                              const char* options_json, char** out_report_json) {
    return guard([&] {
        if (int rc = check_ptr(out_report_json, "out_report_json")) return rc;
        *out_report_json = nullptr;
        if (int rc = check_db(db)) return rc;
        if (!data && size) return set_error(CRM_EINVALID, "data is NULL", "data");
        imp::Mapping m;
        if (int rc = read_mapping(mapping_json, m)) return rc;
        imp::Options o;
        if (int rc = read_import_options(options_json, o)) return rc;
        std::istringstream in(std::string(data ? data : "", size));
        return give_report(out_report_json, db->state->db.imports().run(m, in, o));
    });
}

CRM_API int crm_import_undo(crm_db* db, int64_t batch_id, int force, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.imports().undo(batch_id, force != 0);
        if (!r) return set_error(r.error());
        return give(out_json, imp::to_json(r.value()));
    });
}

CRM_API int crm_import_get(crm_db* db, int64_t batch_id, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.imports().get(batch_id);
        if (!r) return set_error(r.error());
        return give(out_json, imp::to_json(r.value()));
    });
}

CRM_API int crm_import_list(crm_db* db, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_db(db)) return rc;
        auto r = db->state->db.imports().list();
        if (!r) return set_error(r.error());
        std::string out = "[";
        for (std::size_t i = 0; i < r.value().size(); ++i) out += (i ? "," : "") + imp::to_json(r.value()[i]);
        return give(out_json_array, out + "]");
    });
}

CRM_API int crm_mapping_check(const char* mapping_json, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        imp::Mapping m;
        if (int rc = read_mapping(mapping_json, m)) return rc;
        return give(out_json, imp::to_json(m));
    });
}

CRM_API int crm_export_file(crm_db* db, const char* mapping_json, const char* path, const char* options_json,
                            int64_t* out_count) {
    return guard([&] {
        if (out_count) *out_count = 0;
        if (int rc = check_db(db)) return rc;
        if (int rc = check_ptr(path, "path")) return rc;
        imp::Mapping m;
        if (int rc = read_mapping(mapping_json, m)) return rc;
        imp::ExportOptions o;
        if (options_json) {
            nlohmann::json doc;
            if (int rc = parse_json(options_json, "options_json", doc)) return rc;
            if (!doc.is_object()) return set_error(CRM_EINVALID, "options_json: must be an object", "options_json");
            for (const auto& [k, v] : doc.items()) {
                if (k == "format") {
                    if (int rc = read_format(v, "options_json.format", o.format)) return rc;
                } else if (k == "where" && v.is_array()) {
                    for (const auto& w : v) {
                        if (!w.is_string()) return set_error(CRM_EINVALID, "options_json.where: must be strings", "options_json.where");
                        auto f = crm::parse_filter(w.get<std::string>());
                        if (!f) return set_error(f.error());
                        o.where.push_back(f.value());
                    }
                } else if (k == "encoding" && v.is_string() && (v == "utf-8" || v == "cp932")) {
                    o.csv.encoding = v == "cp932" ? crm::csv::Encoding::cp932 : crm::csv::Encoding::utf8;
                    o.csv.unmappable = crm::csv::Unmappable::replace;
                } else if (k == "bom" && v.is_boolean()) {
                    o.csv.bom = v.get<bool>();
                } else if (k == "neutralize_formulas" && v.is_boolean()) {
                    o.csv.neutralize_formulas = v.get<bool>();
                } else {
                    return set_error(CRM_EINVALID,
                                     "options_json." + k + ": not an export option of that type (format, where, encoding, "
                                     "bom, neutralize_formulas)",
                                     "options_json." + k);
                }
            }
            if (o.csv.bom && o.csv.encoding != crm::csv::Encoding::utf8)
                return set_error(CRM_EINVALID, "options_json.bom: only with UTF-8", "options_json.bom");
        }
        // Written beside the target and renamed: a failed export leaves no partial file.
        const std::string tmp = std::string(path) + ".tmp-crm-export";
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return set_error(CRM_EIO, std::string(path) + ": cannot write", "path");
        auto n = db->state->db.imports().export_to(m, out, o);
        out.close();
        std::error_code ec;
        if (!n || !out) {
            std::filesystem::remove(tmp, ec);
            if (!n) return set_error(n.error());
            return set_error(CRM_EIO, std::string(path) + ": cannot write", "path");
        }
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            std::filesystem::remove(tmp, ec);
            return set_error(CRM_EIO, std::string(path) + ": cannot write", "path");
        }
        if (out_count) *out_count = static_cast<int64_t>(n.value());
        return CRM_OK;
    });
}

}  // extern "C"
