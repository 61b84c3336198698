// C ABI: the streaming CSV reader and writer (crm/csv.hpp, docs/csv.md).
#include <fstream>
#include <nlohmann/json.hpp>

#include "capi_internal.hpp"
#include "crm/csv.hpp"

using namespace crm::capi;

struct crm_csv_reader {
    crm::csv::Reader reader;
    crm::csv::Record record;
};

struct crm_csv_writer {
    std::ofstream file;
    std::optional<crm::csv::Writer> writer;
};

namespace {

int bad_option(const std::string& key, const char* what) {
    return set_error(CRM_EINVALID, "options_json." + key + ": " + what, "options_json." + key);
}

int read_delimiter(const nlohmann::json& v, const std::string& key, bool allow_auto, char& out) {
    if (!v.is_string()) return bad_option(key, "must be a string");
    const auto s = v.get<std::string>();
    if (s == "auto" && allow_auto) out = 0;
    else if (s == "," || s == ";" || s == "|") out = s[0];
    else if (s == "tab" || s == "\t") out = '\t';
    else return bad_option(key, allow_auto ? "must be auto, \",\", \";\", \"|\" or tab" : "must be \",\", \";\", \"|\" or tab");
    return CRM_OK;
}

int read_options(const char* text, crm::csv::ReadOptions& o) {
    if (!text) return CRM_OK;
    nlohmann::json doc;
    if (int rc = parse_json(text, "options_json", doc)) return rc;
    if (!doc.is_object()) return set_error(CRM_EINVALID, "options_json: must be an object", "options_json");
    for (const auto& [k, v] : doc.items()) {
        if (k == "encoding") {
            if (!v.is_string()) return bad_option(k, "must be a string");
            auto e = crm::csv::parse_encoding(v.get<std::string>());
            if (!e) return bad_option(k, "must be auto, utf-8 or cp932");
            o.encoding = e.value();
        } else if (k == "delimiter") {
            if (int rc = read_delimiter(v, k, true, o.delimiter)) return rc;
        } else if (k == "header" && v.is_boolean()) {
            o.header = v.get<bool>();
        } else if (k == "lenient_quotes" && v.is_boolean()) {
            o.lenient_quotes = v.get<bool>();
        } else if (k == "ragged" && v.is_string() && (v == "error" || v == "pad" || v == "keep")) {
            o.ragged = v == "error" ? crm::csv::Ragged::error : v == "pad" ? crm::csv::Ragged::pad : crm::csv::Ragged::keep;
        } else if (k == "max_cell_bytes" && v.is_number_integer() && v.get<std::int64_t>() >= 1 &&
                   v.get<std::int64_t>() <= (256 << 20)) {
            o.max_cell_bytes = v.get<std::size_t>();
        } else {
            return bad_option(k, "not a reading option of that type (encoding, delimiter, header, lenient_quotes, "
                                 "ragged, max_cell_bytes 1 … 268435456)");
        }
    }
    return CRM_OK;
}

int read_write_options(const char* text, crm::csv::WriteOptions& o) {
    if (!text) return CRM_OK;
    nlohmann::json doc;
    if (int rc = parse_json(text, "options_json", doc)) return rc;
    if (!doc.is_object()) return set_error(CRM_EINVALID, "options_json: must be an object", "options_json");
    for (const auto& [k, v] : doc.items()) {
        if (k == "encoding" && v.is_string() && (v == "utf-8" || v == "cp932")) {
            o.encoding = v == "cp932" ? crm::csv::Encoding::cp932 : crm::csv::Encoding::utf8;
        } else if (k == "delimiter") {
            if (int rc = read_delimiter(v, k, false, o.delimiter)) return rc;
        } else if (v.is_boolean() && (k == "bom" || k == "crlf" || k == "neutralize_formulas" ||
                                      k == "replace_unmappable" || k == "quote_all")) {
            const bool b = v.get<bool>();
            if (k == "bom") o.bom = b;
            else if (k == "crlf") o.crlf = b;
            else if (k == "neutralize_formulas") o.neutralize_formulas = b;
            else if (k == "replace_unmappable") o.unmappable = b ? crm::csv::Unmappable::replace : crm::csv::Unmappable::error;
            else o.quote_all = b;
        } else {
            return bad_option(k, "not a writing option of that type (encoding utf-8|cp932, delimiter, bom, crlf, "
                                 "neutralize_formulas, replace_unmappable, quote_all)");
        }
    }
    if (o.bom && o.encoding != crm::csv::Encoding::utf8) return bad_option("bom", "only with utf-8");
    return CRM_OK;
}

}  // namespace

extern "C" {

CRM_API int crm_csv_reader_open(const char* path, const char* options_json, crm_csv_reader** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_ptr(path, "path")) return rc;
        crm::csv::ReadOptions o;
        if (int rc = read_options(options_json, o)) return rc;
        auto r = crm::csv::Reader::open(path, o);
        if (!r) return set_error(r.error());
        *out = new crm_csv_reader{std::move(r).value(), {}};
        return CRM_OK;
    });
}

CRM_API int crm_csv_reader_header(crm_csv_reader* r, char** out_json_array) {
    return guard([&] {
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_ptr(r, "r")) return rc;
        auto h = r->reader.header();
        if (!h) return set_error(h.error());
        return give(out_json_array, nlohmann::json(h.value()).dump());
    });
}

CRM_API int crm_csv_reader_next(crm_csv_reader* r, char** out_json_array, int64_t* out_line) {
    return guard([&] {
        if (out_line) *out_line = 0;
        if (int rc = check_ptr(out_json_array, "out_json_array")) return rc;
        *out_json_array = nullptr;
        if (int rc = check_ptr(r, "r")) return rc;
        auto more = r->reader.next(r->record);
        if (!more) {
            auto e = more.error();
            if (!r->reader.error().message.empty()) e.message = r->reader.error().message;
            e.field.clear();
            return set_error(e);
        }
        if (!more.value()) return CRM_OK;
        if (out_line) *out_line = static_cast<int64_t>(r->record.line);
        return give(out_json_array, nlohmann::json(r->record.fields).dump());
    });
}

CRM_API int crm_csv_reader_info(crm_csv_reader* r, char** out_json) {
    return guard([&] {
        if (int rc = check_ptr(out_json, "out_json")) return rc;
        *out_json = nullptr;
        if (int rc = check_ptr(r, "r")) return rc;
        const char d = r->reader.delimiter();
        nlohmann::json doc = {{"encoding", crm::csv::encoding_name(r->reader.encoding())},
                              {"delimiter", d == 0 ? std::string() : d == '\t' ? std::string("tab") : std::string(1, d)},
                              {"bom", r->reader.had_bom()},
                              {"records", r->reader.records_read()},
                              {"ragged", r->reader.ragged_records()}};
        return give(out_json, doc.dump());
    });
}

CRM_API void crm_csv_reader_free(crm_csv_reader* r) { delete r; }

CRM_API int crm_csv_writer_open(const char* path, const char* options_json, crm_csv_writer** out) {
    return guard([&] {
        if (int rc = check_ptr(out, "out")) return rc;
        *out = nullptr;
        if (int rc = check_ptr(path, "path")) return rc;
        crm::csv::WriteOptions o;
        if (int rc = read_write_options(options_json, o)) return rc;
        auto w = std::make_unique<crm_csv_writer>();
        w->file.open(path, std::ios::binary | std::ios::trunc);
        if (!w->file) return set_error(CRM_EIO, std::string(path) + ": cannot create the file", "path");
        w->writer.emplace(w->file, o);
        *out = w.release();
        return CRM_OK;
    });
}

CRM_API int crm_csv_writer_write(crm_csv_writer* w, const char* fields_json_array) {
    return guard([&] {
        if (int rc = check_ptr(w, "w")) return rc;
        if (int rc = check_ptr(fields_json_array, "fields_json_array")) return rc;
        nlohmann::json doc;
        if (int rc = parse_json(fields_json_array, "fields_json_array", doc)) return rc;
        if (!doc.is_array()) return set_error(CRM_EINVALID, "fields_json_array: must be an array of strings", "fields_json_array");
        std::vector<std::string> cells;
        for (const auto& c : doc) {
            if (!c.is_string()) return set_error(CRM_EINVALID, "fields_json_array: must be an array of strings", "fields_json_array");
            cells.push_back(c.get<std::string>());
        }
        return fail_or_ok(w->writer->write_row(cells));
    });
}

CRM_API int crm_csv_writer_close(crm_csv_writer* w) {
    return guard([&] {
        if (!w) return CRM_OK;
        std::unique_ptr<crm_csv_writer> owned(w);
        owned->writer.reset();
        owned->file.flush();
        const bool good = static_cast<bool>(owned->file);
        owned->file.close();
        if (!good || !owned->file) return set_error(CRM_EIO, "cannot write the CSV file");
        return CRM_OK;
    });
}

}  // extern "C"
