#pragma once
/// certiformer/cert/report.hpp — a certificate as a table for a paper or a notebook
/// (`certiformer report CERT.json --format md|csv|latex --digits K`; docs/cli.md, "report").
///
/// Every result and every claim of a certificate becomes one row. Each bound is printed with K
/// significant decimal digits rounded *outward* from the certificate's exact endpoints
/// (`lo_hex`, `hi_hex`): the lower end is rounded toward −∞ and the upper end toward +∞, so the
/// printed interval, read as exact decimals, contains the certificate's interval and the table is
/// still an enclosure. A one-sided result prints its implied enclosure ([0, b] for a quantity that
/// is ≥ 0 by definition, [−inf, b] otherwise, [a, inf] for a lower bound) with the bound rounded
/// outward; a text result prints its text; a claim prints its verdict, its statement and its
/// margin rounded outward.

#include "certiformer/cert/certificate.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certiformer::cert {

/// Output formats of `report`.
enum class ReportFormat { markdown, csv, latex };

/// "md" / "markdown", "csv", "latex" / "tex" → the format.
/// Failure: std::invalid_argument naming the accepted spellings.
ReportFormat parse_report_format(std::string_view name);

/// Significant digits accepted by `report` (and its default).
inline constexpr int kReportMinDigits = 1;
inline constexpr int kReportMaxDigits = 60;
inline constexpr int kReportDefaultDigits = 6;

/// Encloses: the exact value v of one certificate endpoint — a C99 hex float as written in
///   `lo_hex` / `hi_hex`, or "inf" / "-inf" — rounded to `digits` significant decimal digits
///   toward −∞ (`upward` false: the result d satisfies d ≤ v) or toward +∞ (`upward` true:
///   d ≥ v). Among such decimals it is the one closest to v. "inf" / "-inf" are returned as is.
/// Assumes: nothing.
/// Checks: the text is a hex float or ±inf; digits in [kReportMinDigits, kReportMaxDigits].
/// Failure: std::invalid_argument (bad text, "nan", or digits out of range); nothing is printed.
/// Method: the hex text is parsed exactly (parse_exact), enclosed at 4·(its length) + 16 bits
///   (exact: a hex float of n digits has at most 4n significant bits), and printed with MPFR's
///   directed rounding ("%.*RDg" / "%.*RUg", core/io.hpp to_string) — never round-to-nearest.
std::string outward_decimal(const std::string& endpoint_hex, bool upward, int digits);

/// One row of a report: a scalar result (an entry of a vector, matrix or keyed result is a row
/// of its own, named like a claim quantity: "v[0]", "m[1][2]", "err[16]"), a text result, or a
/// claim.
struct ReportRow {
  enum class Type { enclosure, upper_bound, lower_bound, text, claim };
  Type type = Type::enclosure;
  std::string name;    ///< quantity name, text result name, or claim id
  std::string lower;   ///< outward-rounded lower end ("-inf" allowed); empty for text rows and
                       ///< claims without a margin
  std::string upper;   ///< outward-rounded upper end ("inf" allowed); empty likewise
  std::string text;    ///< the text of a text result; the statement of a claim
  std::string verdict; ///< claims only: "proved" / "refuted" / "unknown"
  std::string label;   ///< what the entry is, when the certificate names it (entry_labels: the
                       ///< parameter of a gradient entry); empty otherwise
};

/// Encloses: for every enclosure row, [lower, upper] (exact decimals) ⊇ [lo_hex, hi_hex] of the
///   certificate entry; for a claim, [lower, upper] ⊇ its margin; one-sided rows enclose the
///   implied enclosure (see the file comment). Rows follow the certificate's order: results,
///   then claims.
/// Assumes: `c` was read by Certificate::from_json or made by a kind (its hex texts parse).
/// Checks: digits in range; every endpoint text parses.
/// Failure: std::invalid_argument (digits out of range, an unparsable endpoint).
/// Method: outward_decimal on each endpoint.
std::vector<ReportRow> report_rows(const Certificate& c, int digits = kReportDefaultDigits);

/// Encloses: the rows of report_rows(c, digits) as one document in `format`:
///   * markdown: a heading line (kind, backend, version), a table `quantity | lower | upper`
///     (one-sided rows name the bound, labelled entries their label, in the quantity column), a
///     table `result | text` of the
///     text results, and a table `claim | verdict | statement | margin lower | margin upper`;
///   * csv (RFC 4180, header `type,name,lower,upper,verdict,text,label`): one line per row, type
///     one of enclosure, upper_bound, lower_bound, text, claim;
///   * latex: a `tabular` (no packages needed) of the results with bounds as `$m\times10^{e}$`,
///     and one of the claims; text is escaped for LaTeX.
///   Every printed number is exactly the outward-rounded text of report_rows (only its notation
///   changes in LaTeX: "1.5e-07" becomes $1.5\times10^{-7}$).
/// Assumes / Checks / Failure: as report_rows.
/// Method: string formatting; `source` (e.g. the file name) is printed in the heading.
std::string report(const Certificate& c, ReportFormat format, int digits = kReportDefaultDigits,
                   const std::string& source = "");

}  // namespace certiformer::cert
