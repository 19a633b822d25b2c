// User claims from a config. See cert/claims.hpp.
#include "certiformer/cert/claims.hpp"

#include <unordered_set>

namespace certiformer::cert {

std::vector<ClaimSpec> parse_claims(const ConfigNode& root) {
  std::vector<ClaimSpec> specs;
  const auto list = root.find("claims");
  if (!list) return specs;
  list->require_array("an array of claims [{\"id\", \"quantity\", \"op\", \"value\"}]");
  std::unordered_set<std::string> ids;  // near-linear duplicate check (configs may hold many claims)
  specs.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const ConfigNode c = list->index(i);
    c.require_object("a claim {\"id\", \"quantity\", \"op\", \"value\"}");
    c.only_keys({"id", "quantity", "op", "value"});
    ClaimSpec s;
    s.path = c.path();
    s.id = c.at("id").as_string("a non-empty claim id (string)");
    if (!ids.insert(s.id).second) c.at("id").fail("a claim id not used by an earlier claim");
    s.quantity = c.at("quantity").as_string("a result quantity name such as \"x_at_t[0]\"");
    const ConfigNode op = c.at("op");
    s.op = op.is_text() ? op.as_text() : std::string();
    if (s.op != "<=" && s.op != "<" && s.op != ">=" && s.op != ">") op.fail("one of \"<=\", \"<\", \">=\", \">\"");
    const ConfigNode v = c.at("value");
    s.value = v.as_rational();
    s.value_text = v.as_text();
    specs.push_back(std::move(s));
  }
  return specs;
}

}  // namespace certiformer::cert
