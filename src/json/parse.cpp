// Strict JSON parsing: duplicate keys and excessive nesting are errors. The
// document is built by a SAX handler of our own, which sees each key as the
// object it belongs to is being filled (so a second one is caught) and knows
// how deep it is before it descends.
#include "json/parse.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "util/text.hpp"

namespace crm::json {

namespace {

using nlohmann::json;

class Builder : public nlohmann::json_sax<json> {
public:
    explicit Builder(json& root) : root_(root) {}

    bool null() override { return put(json(nullptr)); }
    bool boolean(bool v) override { return put(json(v)); }
    bool number_integer(number_integer_t v) override { return put(json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
    bool number_float(number_float_t v, const string_t&) override { return put(json(v)); }
    bool string(string_t& v) override { return put(json(std::move(v))); }
    bool binary(binary_t&) override { return fail("binary values are not JSON"); }

    bool start_object(std::size_t) override { return open(json::value_t::object); }
    bool start_array(std::size_t) override { return open(json::value_t::array); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override {
        json& obj = *stack_.back();
        auto [it, fresh] = obj.get_ref<json::object_t&>().try_emplace(std::move(k));
        if (!fresh) return fail(fmt::format("has the key \"{}\" twice", it->first));
        slot_ = &it->second;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        if (!message_.empty()) return false;
        // e.what() quotes the bytes last read, which may stop inside a multi-byte
        // character: the quote is left out so that the message stays UTF-8.
        std::string what = e.what();
        if (auto quote = what.find("; last read: "); quote != std::string::npos) what.erase(quote);
        message_ = text::valid_utf8(what) ? fmt::format("is not valid JSON ({})", what)
                                          : fmt::format("is not valid JSON (at byte {})", position);
        return false;
    }

    const std::string& message() const { return message_; }

private:
    // Where the next value goes: the root, the slot of the last key, or the end of an array.
    json* target() {
        if (stack_.empty()) return &root_;
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.get_ref<json::array_t&>().emplace_back();
            return &parent.get_ref<json::array_t&>().back();
        }
        return slot_;
    }
    bool put(json&& v) {
        *target() = std::move(v);
        return true;
    }
    bool open(json::value_t type) {
        if (stack_.size() >= static_cast<std::size_t>(kMaxDepth))
            return fail(fmt::format("is nested more than {} levels deep", kMaxDepth));
        json* t = target();
        *t = json(type);
        stack_.push_back(t);
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }
    bool fail(std::string why) {
        message_ = std::move(why);
        return false;
    }

    json& root_;
    std::vector<json*> stack_;
    json* slot_ = nullptr;
    std::string message_;
};

}  // namespace

result<nlohmann::json> parse_text(std::string_view text, const char* what) {
    try {
        nlohmann::json root;
        Builder b(root);
        // The builder never goes deeper than kMaxDepth, so what it built is safe to destroy.
        if (!nlohmann::json::sax_parse(text.begin(), text.end(), &b, nlohmann::json::input_format_t::json, true))
            return invalid(what, b.message().empty() ? "is not valid JSON" : b.message());
        return root;
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, fmt::format("{}: out of memory parsing JSON", what), what);
    } catch (const std::exception& e) {
        return invalid(what, fmt::format("is not valid JSON ({})", e.what()));
    }
}

result<nlohmann::json> parse_object(std::string_view text, const char* what) {
    auto j = parse_text(text, what);
    if (j && !j.value().is_object()) return invalid(what, "must be a JSON object");
    return j;
}

}  // namespace crm::json
