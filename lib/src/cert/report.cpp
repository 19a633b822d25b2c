// Certificates as tables (report.hpp): outward-rounded bounds at K significant digits.
#include "certiformer/cert/report.hpp"

#include "certiformer/core/exact.hpp"
#include "certiformer/core/io.hpp"
#include "certiformer/core/mp_interval.hpp"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace certiformer::cert {

namespace {

void check_digits(int digits) {
  if (digits < kReportMinDigits || digits > kReportMaxDigits)
    throw std::invalid_argument("report: digits must be in [" + std::to_string(kReportMinDigits) + ", " +
                                std::to_string(kReportMaxDigits) + "], got " + std::to_string(digits));
}

using Row = ReportRow;

void add_enclosure(std::vector<Row>& rows, const std::string& name, const EndpointText& e, int digits) {
  rows.push_back(Row{Row::Type::enclosure, name, outward_decimal(e.lo_hex, false, digits),
                     outward_decimal(e.hi_hex, true, digits), "", "", ""});
}

void add_one_sided(std::vector<Row>& rows, const std::string& name, const OneSidedText& b, int digits) {
  const EndpointText e = b.implied_enclosure();  // [0 or -inf, b] / [b, inf], exact ends
  rows.push_back(Row{b.upper ? Row::Type::upper_bound : Row::Type::lower_bound, name,
                     outward_decimal(e.lo_hex, false, digits), outward_decimal(e.hi_hex, true, digits), "", "", ""});
}

std::string type_name(Row::Type t) {
  switch (t) {
    case Row::Type::enclosure: return "enclosure";
    case Row::Type::upper_bound: return "upper_bound";
    case Row::Type::lower_bound: return "lower_bound";
    case Row::Type::text: return "text";
    case Row::Type::claim: return "claim";
  }
  return "enclosure";
}

// ---- markdown ---------------------------------------------------------------------------------

std::string md_cell(const std::string& s) {
  std::string r;
  for (char ch : s) {
    if (ch == '|') r += "\\|";
    else if (ch == '\n') r += ' ';
    else r += ch;
  }
  return r;
}

std::string md_quantity(const Row& r) {
  if (r.type == Row::Type::upper_bound) return "`" + r.name + "` (upper bound)";
  if (r.type == Row::Type::lower_bound) return "`" + r.name + "` (lower bound)";
  if (!r.label.empty()) return "`" + r.name + "` (" + r.label + ")";
  return "`" + r.name + "`";
}

// ---- csv --------------------------------------------------------------------------------------

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string r = "\"";
  for (char ch : s) {
    if (ch == '"') r += "\"\"";
    else r += ch;
  }
  return r + "\"";
}

// ---- latex ------------------------------------------------------------------------------------

std::string tex_escape(const std::string& s) {
  std::string r;
  for (char ch : s) {
    switch (ch) {
      case '\\': r += "\\textbackslash{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}': r += '\\'; r += ch; break;
      case '~': r += "\\textasciitilde{}"; break;
      case '<': r += "\\textless{}"; break;
      case '>': r += "\\textgreater{}"; break;
      case '^': r += "\\textasciicircum{}"; break;
      case '\n': r += ' '; break;
      default: r += ch;
    }
  }
  return r;
}

/// "1.5e-07" → "$1.5\times10^{-7}$", "0.25" → "$0.25$", "inf" → "$\infty$" (same number).
std::string tex_number(const std::string& d) {
  if (d.empty()) return "";
  if (d == "inf") return "$\\infty$";
  if (d == "-inf") return "$-\\infty$";
  static const std::regex re(R"(^([+-]?[0-9.]+)(?:e([+-])0*([0-9]+))?$)");
  std::smatch m;
  if (!std::regex_match(d, m, re)) return "\\texttt{" + tex_escape(d) + "}";
  std::string r = "$" + m[1].str();
  if (m[2].matched) r += "\\times10^{" + std::string(m[2].str() == "-" ? "-" : "") + m[3].str() + "}";
  return r + "$";
}

}  // namespace

ReportFormat parse_report_format(std::string_view name) {
  if (name == "md" || name == "markdown") return ReportFormat::markdown;
  if (name == "csv") return ReportFormat::csv;
  if (name == "latex" || name == "tex") return ReportFormat::latex;
  throw std::invalid_argument("report: unknown format \"" + std::string(name) + "\" (expected md, csv or latex)");
}

std::string outward_decimal(const std::string& endpoint_hex, bool upward, int digits) {
  check_digits(digits);
  if (endpoint_hex == "inf" || endpoint_hex == "-inf") return endpoint_hex;
  const Rational q = parse_exact(endpoint_hex);  // throws std::invalid_argument on bad text / nan
  // A hex float of n characters has at most 4n significant bits, so this precision encloses it
  // exactly (and enclose_mp rounds outward anyway); to_string rounds each end outward (RD / RU).
  MpPrecisionScope scope(static_cast<unsigned>(4 * endpoint_hex.size() + 16));
  const std::string t = to_string(enclose_mp(q), digits);  // "[lo, hi]"
  const auto comma = t.find(", ");
  if (t.size() < 5 || t.front() != '[' || t.back() != ']' || comma == std::string::npos)
    throw std::invalid_argument("report: cannot format endpoint " + endpoint_hex);
  return upward ? t.substr(comma + 2, t.size() - comma - 3) : t.substr(1, comma - 1);
}

std::vector<ReportRow> report_rows(const Certificate& c, int digits) {
  check_digits(digits);
  std::vector<Row> rows;
  for (const auto& [name, v] : c.results) {
    if (const auto* e = std::get_if<EndpointText>(&v)) {
      add_enclosure(rows, name, *e, digits);
    } else if (const auto* ev = std::get_if<EnclosureVector>(&v)) {
      const auto labels = entry_labels(c, name);
      for (std::size_t i = 0; i < ev->size(); ++i) {
        add_enclosure(rows, name + "[" + std::to_string(i) + "]", (*ev)[i], digits);
        if (!labels.empty()) rows.back().label = labels[i];
      }
    } else if (const auto* em = std::get_if<EnclosureMatrix>(&v)) {
      for (std::size_t i = 0; i < em->size(); ++i)
        for (std::size_t j = 0; j < (*em)[i].size(); ++j)
          add_enclosure(rows, name + "[" + std::to_string(i) + "][" + std::to_string(j) + "]", (*em)[i][j], digits);
    } else if (const auto* mp = std::get_if<EnclosureMap>(&v)) {
      for (const auto& [k, e] : *mp) add_enclosure(rows, name + "[" + k + "]", e, digits);
    } else if (const auto* b = std::get_if<OneSidedText>(&v)) {
      add_one_sided(rows, name, *b, digits);
    } else if (const auto* bm = std::get_if<OneSidedMap>(&v)) {
      for (const auto& [k, b] : *bm) add_one_sided(rows, name + "[" + k + "]", b, digits);
    } else {
      rows.push_back(Row{Row::Type::text, name, "", "", std::get<std::string>(v), "", ""});
    }
  }
  for (const auto& cl : c.claims) {
    Row r{Row::Type::claim, cl.id, "", "", cl.statement, std::string(to_string(cl.verdict)), ""};
    if (cl.margin) {
      r.lower = outward_decimal(cl.margin->lo_hex, false, digits);
      r.upper = outward_decimal(cl.margin->hi_hex, true, digits);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string report(const Certificate& c, ReportFormat format, int digits, const std::string& source) {
  const std::vector<Row> rows = report_rows(c, digits);
  std::ostringstream o;
  const std::string about = c.kind + ", " + c.backend + " (" + std::to_string(c.precision) + " bits), certiformer " +
                            c.build.version + " (git " + c.build.git + ")";
  const std::string rounding = "bounds rounded outward to " + std::to_string(digits) +
                               " significant digits (lower end down, upper end up): every interval contains the "
                               "certificate's";
  auto numeric = [](const Row& r) { return r.type != Row::Type::text && r.type != Row::Type::claim; };
  bool any_num = false, any_text = false, any_claim = false;
  for (const auto& r : rows) {
    any_num = any_num || numeric(r);
    any_text = any_text || r.type == Row::Type::text;
    any_claim = any_claim || r.type == Row::Type::claim;
  }
  switch (format) {
    case ReportFormat::markdown: {
      o << "**" << md_cell(source.empty() ? c.kind : source) << "** — " << md_cell(about) << "; " << rounding << ".\n";
      if (any_num) {
        o << "\n| quantity | lower | upper |\n|---|---:|---:|\n";
        for (const auto& r : rows)
          if (numeric(r)) o << "| " << md_cell(md_quantity(r)) << " | " << r.lower << " | " << r.upper << " |\n";
      }
      if (any_text) {
        o << "\n| result | text |\n|---|---|\n";
        for (const auto& r : rows)
          if (r.type == Row::Type::text) o << "| `" << md_cell(r.name) << "` | " << md_cell(r.text) << " |\n";
      }
      if (any_claim) {
        o << "\n| claim | verdict | statement | margin lower | margin upper |\n|---|---|---|---:|---:|\n";
        for (const auto& r : rows)
          if (r.type == Row::Type::claim)
            o << "| `" << md_cell(r.name) << "` | " << r.verdict << " | " << md_cell(r.text) << " | " << r.lower << " | "
              << r.upper << " |\n";
      }
      break;
    }
    case ReportFormat::csv: {
      o << "type,name,lower,upper,verdict,text,label\n";
      for (const auto& r : rows)
        o << type_name(r.type) << "," << csv_field(r.name) << "," << csv_field(r.lower) << "," << csv_field(r.upper)
          << "," << csv_field(r.verdict) << "," << csv_field(r.text) << "," << csv_field(r.label) << "\n";
      break;
    }
    case ReportFormat::latex: {
      o << "% " << (source.empty() ? c.kind : source) << ": " << about << "\n% " << rounding << ".\n";
      if (any_num || any_text) {
        o << "\\begin{tabular}{lll}\n\\hline\nquantity & lower & upper \\\\\n\\hline\n";
        for (const auto& r : rows) {
          if (numeric(r)) {
            std::string q = "\\texttt{" + tex_escape(r.name) + "}";
            if (r.type == Row::Type::upper_bound) q += " (upper bound)";
            if (r.type == Row::Type::lower_bound) q += " (lower bound)";
            if (!r.label.empty()) q += " (\\texttt{" + tex_escape(r.label) + "})";
            o << q << " & " << tex_number(r.lower) << " & " << tex_number(r.upper) << " \\\\\n";
          } else if (r.type == Row::Type::text) {
            o << "\\texttt{" << tex_escape(r.name) << "} & \\multicolumn{2}{l}{" << tex_escape(r.text) << "} \\\\\n";
          }
        }
        o << "\\hline\n\\end{tabular}\n";
      }
      if (any_claim) {
        o << "\n\\begin{tabular}{llp{0.4\\linewidth}ll}\n\\hline\n"
          << "claim & verdict & statement & margin lower & margin upper \\\\\n\\hline\n";
        for (const auto& r : rows)
          if (r.type == Row::Type::claim)
            o << "\\texttt{" << tex_escape(r.name) << "} & " << r.verdict << " & " << tex_escape(r.text) << " & "
              << tex_number(r.lower) << " & " << tex_number(r.upper) << " \\\\\n";
        o << "\\hline\n\\end{tabular}\n";
      }
      break;
    }
  }
  return o.str();
}

}  // namespace certiformer::cert
