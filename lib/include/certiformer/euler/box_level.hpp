#pragma once
/// certiformer/euler/box_level.hpp — the euler.error results that are properties of a whole
/// parameter box, not of each parameter in it (docs/euler.md §11, docs/sweep.md).
///
/// Every other result of a run on a box is "for every parameter p in the box: q(p) ∈ enclosure",
/// so a claim proved on every sub-box of a cover holds on the union — what `certiformer sweep`
/// concludes. The uniform risk bound and its ingredients are not of that form: they bound a
/// supremum over the box (and its probability statement, at level 1 − δ, assumes the population's
/// tokens lie in the run's token box). Split into sub-boxes they describe other statements (each
/// at level 1 − δ for its own sub-box, with another token region), and their union is not the
/// whole box's statement. The sweep therefore refuses claims on them.
#include <array>
#include <string_view>

namespace certiformer::euler {

inline constexpr std::array<std::string_view, 5> kBoxLevelResults = {
    "uniform_risk_bound", "covering_radius", "covering_log_number", "parameter_lipschitz", "uniform_risk_loss_range"};

/// Whether a claim quantity ("name" or "name[key]") is one of kBoxLevelResults.
constexpr bool is_box_level_result(std::string_view quantity) noexcept {
  const std::string_view base = quantity.substr(0, quantity.find('['));
  for (const auto& n : kBoxLevelResults)
    if (base == n) return true;
  return false;
}

}  // namespace certiformer::euler
