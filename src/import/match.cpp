// Matching an imported row to a record: the normalised keys of a record's document
// (crm/normalize.hpp), as dedup on import compares them.
#include "crm/normalize.hpp"
#include "import/import_internal.hpp"

namespace crm::import::impl {

namespace {

std::string str(const json& doc, const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void add_email(std::vector<std::string>& out, const std::string& v) {
    if (v.empty()) return;
    if (auto e = normalize::email(v)) out.push_back("e:" + e.value());
}

void add_phone(std::vector<std::string>& out, const std::string& v, const std::string& region) {
    if (v.empty()) return;
    if (auto p = normalize::phone(v, region)) {
        // The extension is part of the number people dial; keep it in the key.
        out.push_back("p:" + p.value());
    }
}

}  // namespace

std::vector<std::string> match_keys(Entity kind, const std::vector<MatchKey>& keys, const json& doc,
                                    const std::string& company_name, const std::string& region) {
    std::vector<std::string> out;
    for (MatchKey k : keys) {
        switch (k) {
            case MatchKey::external_id:
                if (auto x = str(doc, "external_id"); !x.empty()) out.push_back("x:" + x);
                break;
            case MatchKey::email:
                if (auto it = doc.find("emails"); it != doc.end() && it->is_array())
                    for (const auto& e : *it)
                        if (e.is_object()) add_email(out, str(e, "address"));
                add_email(out, str(doc, "email"));
                break;
            case MatchKey::phone:
                if (auto it = doc.find("phones"); it != doc.end() && it->is_array())
                    for (const auto& p : *it)
                        if (p.is_object()) add_phone(out, str(p, "number"), region);
                add_phone(out, str(doc, "phone"), region);
                break;
            case MatchKey::name: {
                const auto n = str(doc, "name");
                if (n.empty()) break;
                auto key = kind == Entity::account ? normalize::company(n) : normalize::fold(n);
                if (!key.empty()) out.push_back("n:" + key);
                break;
            }
            case MatchKey::name_company: {
                const auto n = str(doc, "name");
                if (n.empty() || company_name.empty()) break;
                auto name = normalize::fold(n), company = normalize::company(company_name);
                if (!name.empty() && !company.empty()) out.push_back("c:" + name + '\x1f' + company);
                break;
            }
        }
    }
    return out;
}

}  // namespace crm::import::impl
