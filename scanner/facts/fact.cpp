#include "scanner/facts/fact.hpp"

namespace grundscan {

void FactSet::add(Fact fact) {
    auto it = facts_.find(fact.name);
    if (it != facts_.end() && it->second.priority >= fact.priority) return;
    std::string key = fact.name;
    facts_.insert_or_assign(std::move(key), std::move(fact));
}

const Fact* FactSet::find(const std::string& name) const {
    auto it = facts_.find(name);
    return it == facts_.end() ? nullptr : &it->second;
}

std::string fact_value_to_string(const FactValue& v) {
    struct Visitor {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const StringList& l) const {
            std::string out;
            for (std::size_t i = 0; i < l.size(); ++i) {
                if (i) out += ", ";
                if (i == 20) {
                    out += "… (" + std::to_string(l.size()) + ")";
                    break;
                }
                out += l[i];
            }
            return out;
        }
        std::string operator()(const StringMap& m) const {
            return std::to_string(m.size()) + " entries";
        }
    };
    return std::visit(Visitor{}, v);
}

}  // namespace grundscan
