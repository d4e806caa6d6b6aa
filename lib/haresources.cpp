#include "takeover/haresources.h"
#include "takeover/config_lines.h"
#include "takeover/outcome.h"
#include "takeover/text.h"

#include <arpa/inet.h>

#include <fstream>
#include <sstream>

namespace takeover::haresources {
namespace {

bool is_ipv4(std::string_view word) {
    std::string address(word.substr(0, word.find('/')));
    in_addr a{};
    return inet_pton(AF_INET, address.c_str(), &a) == 1;
}

std::vector<std::string> split_fields(std::string_view word) {
    std::vector<std::string> fields;
    for (;;) {
        auto pos = word.find("::");
        fields.emplace_back(word.substr(0, pos));
        if (pos == std::string_view::npos) return fields;
        word.remove_prefix(pos + 2);
    }
}

using config::fail;

}  // namespace

Resource parse_resource(std::string_view word) {
    Resource r;
    r.text = std::string(word);
    auto fields = split_fields(word);
    if (fields.size() == 1 && is_ipv4(fields[0])) {
        r.name = "IPaddr";
        r.args = {fields[0]};
        return r;
    }
    r.name = fields[0];
    r.args.assign(fields.begin() + 1, fields.end());
    if (r.name.empty())
        throw Error(Outcome::not_configured, "resource '" + r.text + "' has no name");
    return r;
}

std::vector<Group> parse(std::string_view content, const std::string& file) {
    std::vector<Group> groups;
    std::string pending;
    int pending_line = 0;
    auto flush = [&] {
        auto words = text::split_words(pending);
        pending.clear();
        if (words.empty()) return;
        Group g;
        g.node = text::to_lower(words[0]);
        g.file = file;
        g.line = pending_line;
        if (text::has_control_chars(words[0])) fail(file, g.line, "control character in node name");
        for (size_t i = 1; i < words.size(); ++i) {
            try {
                g.resources.push_back(parse_resource(words[i]));
            } catch (const Error& e) {
                fail(file, g.line, e.what());
            }
        }
        if (g.resources.empty()) fail(file, g.line, "node " + g.node + " has no resources");
        groups.push_back(std::move(g));
    };
    config::for_each_line(content, file, [&](int line_no, std::string_view line) {
        bool continued = !text::trim(line).empty() && text::trim(line).back() == '\\';
        if (continued) line = text::trim(line).substr(0, text::trim(line).size() - 1);
        if (pending.empty()) pending_line = line_no;
        pending += " ";
        pending += line;
        if (!continued) flush();
    });
    flush();
    return groups;
}

std::vector<Group> load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(Outcome::not_configured, path + ": cannot read");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str(), path);
}

}  // namespace takeover::haresources
