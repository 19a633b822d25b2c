// tests/cert: compare_with_rerun marks lines about an item that one side lacks with a structured
// CheckPresence (the euler.error re-check relies on it instead of matching detail texts).
#include "cert_test_util.hpp"

#include <doctest/doctest.h>

using namespace certiformer;
using namespace certiformer::cert;

namespace {
const CheckLine* line(const CheckReport& r, const std::string& subject) {
  for (const auto& l : r.lines)
    if (l.subject == subject) return &l;
  return nullptr;
}
}  // namespace

TEST_CASE("compare_with_rerun: presence of results, keyed entries and claims is structured") {
  const EndpointText one = endpoints(Interval(1));
  Certificate a;
  a.results = {{"both", one}, {"only_cert", one}, {"keyed", EnclosureMap{{"8", one}, {"16", one}}}};
  a.claims = {{"c_both", "s", Status::proved, "r", std::nullopt}, {"c_cert", "s", Status::proved, "r", std::nullopt}};
  Certificate b;
  b.results = {{"both", one}, {"only_rerun", one}, {"keyed", EnclosureMap{{"8", one}, {"32", one}}}};
  b.claims = {{"c_both", "s", Status::proved, "r", std::nullopt}, {"c_rerun", "s", Status::proved, "r", std::nullopt}};
  CheckReport rep;
  compare_with_rerun(a, b, rep);
  struct Expect {
    const char* subject;
    CheckOutcome outcome;
    CheckPresence presence;
  };
  const Expect expect[] = {
      {"result both", CheckOutcome::reproduced, CheckPresence::both},
      {"result only_cert", CheckOutcome::failed, CheckPresence::missing_in_rerun},
      {"result only_rerun", CheckOutcome::failed, CheckPresence::missing_in_certificate},
      {"result keyed[8]", CheckOutcome::reproduced, CheckPresence::both},
      {"result keyed[16]", CheckOutcome::failed, CheckPresence::missing_in_rerun},
      {"result keyed[32]", CheckOutcome::failed, CheckPresence::missing_in_certificate},
      {"claim c_both", CheckOutcome::reproduced, CheckPresence::both},
      {"claim c_cert", CheckOutcome::failed, CheckPresence::missing_in_rerun},
      {"claim c_rerun", CheckOutcome::failed, CheckPresence::missing_in_certificate},
  };
  for (const auto& e : expect) {
    CAPTURE(e.subject);
    const CheckLine* l = line(rep, e.subject);
    REQUIRE(l != nullptr);
    CHECK(l->outcome == e.outcome);
    CHECK(l->presence == e.presence);
  }
  // a value mismatch on both sides is not a presence mismatch
  Certificate c = a;
  c.results[0].second = endpoints(Interval(5));
  CheckReport rep2;
  compare_with_rerun(c, b, rep2);
  const CheckLine* l = line(rep2, "result both");
  REQUIRE(l != nullptr);
  CHECK(l->outcome == CheckOutcome::failed);
  CHECK(l->presence == CheckPresence::both);
}
