#pragma once
// Shared pieces of the P3 proof programs (proofs/gaussian): the exact model builder and the one
// decision rule of the blow-up-time proofs. Each program states its theorem instance and closed
// form; this header only removes the repeated setup and reporting.
#include "certiformer/gaussian.hpp"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace proof {

using namespace certiformer;
using namespace certiformer::gaussian;

/// A model with beta (exact decimal text), FFN W and heads (V_h, B_h); b = 0.
inline ModelSpec make_model(int dim, const char* beta, RMatrix W, std::vector<HeadSpec> heads) {
  ModelSpec model;
  model.dim = dim;
  model.beta = parse_exact(beta);
  model.W = std::move(W);
  model.heads = std::move(heads);
  return model;
}

/// Decision of a blow-up-time proof: PROVED (exit 0) iff the status is blowup with a proved
/// verdict, the relative width is at most `max_rel_width`, `extra_ok` holds (a side condition of
/// the closed form, e.g. l > 0) and the closed form lies in the interior of the certified
/// bracket; REFUTED (exit 1) iff the status is blowup and the closed form is disjoint from the
/// bracket; otherwise UNKNOWN (exit 2). Prints the certified bracket and the closed form.
inline int decide_blowup(const BlowupResult<MpInterval>& r, const MpInterval& closed, const std::string& closed_name,
                         double max_rel_width, bool extra_ok = true) {
  std::cout << "status: " << to_string(r.status) << " (" << r.verdict.reason() << ")\n"
            << "t* in " << r.blowup_time << "\nrelative width " << r.relative_width << "\n"
            << closed_name << " in " << closed << "\n";
  if (r.status == BlowupStatus::blowup && r.verdict.is_proved() && r.relative_width <= max_rel_width && extra_ok &&
      interior(closed, r.blowup_time)) {
    std::cout << "PROVED\n";
    return 0;
  }
  if (r.status == BlowupStatus::blowup && disjoint(closed, r.blowup_time)) {
    std::cout << "REFUTED: the closed form lies outside the certified interval\n";
    return 1;
  }
  std::cout << "UNKNOWN\n";
  return 2;
}

}  // namespace proof
