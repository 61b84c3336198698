// Logistic regression by Newton's method, AUC, log-loss and the hold-out hash
// (logistic.hpp). Every sum runs in row order, then column order: no parallelism,
// no reordering, so a run is reproducible bit for bit.
#include "predictive/logistic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace crm::predictive {

namespace {
// log(1 + e^t) without overflow.
double softplus(double t) noexcept { return t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t)); }

double objective(const Design& d, const std::vector<double>& theta, double l2) {
    const std::size_t p = d.cols;
    double sum = 0;
    for (std::size_t i = 0; i < d.rows; ++i) {
        const double* zi = &d.z[i * p];
        double eta = theta[0];
        for (std::size_t j = 0; j < p; ++j) eta += theta[j + 1] * zi[j];
        sum += softplus(eta) - (d.y[i] ? eta : 0.0);
    }
    double pen = 0;
    for (std::size_t j = 0; j < p; ++j) pen += theta[j + 1] * theta[j + 1];
    return sum + 0.5 * l2 * pen;
}

// Solves H x = g in place (H symmetric positive definite, n × n row-major) by
// Cholesky. A pivot that is not positive gets a small ridge (rank-deficient data
// with l2 = 0), so it always answers.
std::vector<double> solve(std::vector<double> h, std::vector<double> g, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
        double s = h[k * n + k];
        for (std::size_t m = 0; m < k; ++m) s -= h[k * n + m] * h[k * n + m];
        if (!(s > 1e-12)) s = 1e-12 + std::max(0.0, s);
        const double l = std::sqrt(s);
        h[k * n + k] = l;
        for (std::size_t i = k + 1; i < n; ++i) {
            double t = h[i * n + k];
            for (std::size_t m = 0; m < k; ++m) t -= h[i * n + m] * h[k * n + m];
            h[i * n + k] = t / l;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {  // L y = g
        double t = g[i];
        for (std::size_t m = 0; m < i; ++m) t -= h[i * n + m] * g[m];
        g[i] = t / h[i * n + i];
    }
    for (std::size_t ii = n; ii-- > 0;) {  // Lᵀ x = y
        double t = g[ii];
        for (std::size_t m = ii + 1; m < n; ++m) t -= h[m * n + ii] * g[m];
        g[ii] = t / h[ii * n + ii];
    }
    return g;
}
}  // namespace

double sigmoid(double t) noexcept {
    if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
    const double e = std::exp(t);
    return e / (1.0 + e);
}

Fit fit_logistic(const Design& d, const FitOptions& o) {
    const std::size_t p = d.cols, n = p + 1;
    std::vector<double> theta(n, 0.0);
    // Start the intercept at the log-odds of the base rate: fewer steps, same optimum.
    std::size_t pos = 0;
    for (auto v : d.y) pos += v;
    if (pos > 0 && pos < d.rows) theta[0] = std::log(static_cast<double>(pos) / static_cast<double>(d.rows - pos));
    Fit fit;
    double obj = objective(d, theta, o.l2);
    std::vector<double> g(n), h(n * n), next(n);
    for (int it = 0; it < o.max_iterations; ++it) {
        std::fill(g.begin(), g.end(), 0.0);
        std::fill(h.begin(), h.end(), 0.0);
        for (std::size_t i = 0; i < d.rows; ++i) {
            const double* zi = &d.z[i * p];
            double eta = theta[0];
            for (std::size_t j = 0; j < p; ++j) eta += theta[j + 1] * zi[j];
            const double pr = sigmoid(eta);
            const double r = pr - (d.y[i] ? 1.0 : 0.0);
            const double w = pr * (1.0 - pr);
            g[0] += r;
            h[0] += w;
            for (std::size_t j = 0; j < p; ++j) {
                const double wz = w * zi[j];
                g[j + 1] += r * zi[j];
                h[(j + 1) * n] += wz;
                double* row = &h[(j + 1) * n + 1];
                for (std::size_t k = 0; k <= j; ++k) row[k] += wz * zi[k];
            }
        }
        for (std::size_t j = 0; j < p; ++j) {
            g[j + 1] += o.l2 * theta[j + 1];
            h[(j + 1) * n + j + 1] += o.l2;
        }
        for (std::size_t a = 0; a < n; ++a)  // mirror the lower triangle
            for (std::size_t b = a + 1; b < n; ++b) h[a * n + b] = h[b * n + a];
        const std::vector<double> step = solve(h, g, n);
        double scale = 1.0, next_obj = obj;
        bool moved = false;
        for (int half = 0; half < 40; ++half, scale *= 0.5) {
            for (std::size_t k = 0; k < n; ++k) next[k] = theta[k] - scale * step[k];
            next_obj = objective(d, next, o.l2);
            if (next_obj <= obj) {
                moved = true;
                break;
            }
        }
        fit.iterations = it + 1;
        double largest = 0;
        for (std::size_t k = 0; k < n; ++k) largest = std::max(largest, std::fabs(scale * step[k]));
        if (!moved) {  // no step lowers it: the optimum to within rounding
            fit.converged = true;
            break;
        }
        theta = next;
        obj = next_obj;
        if (largest < o.tolerance) {
            fit.converged = true;
            break;
        }
    }
    fit.intercept = theta[0];
    fit.weights.assign(theta.begin() + 1, theta.end());
    return fit;
}

double log_loss(const std::vector<double>& p, const std::vector<std::uint8_t>& y) {
    if (p.empty()) return 0;
    double sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double q = std::clamp(p[i], 1e-15, 1.0 - 1e-15);
        sum -= y[i] ? std::log(q) : std::log1p(-q);
    }
    return sum / static_cast<double>(p.size());
}

double auc(const std::vector<double>& score, const std::vector<std::uint8_t>& y) {
    const std::size_t n = score.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    double rank_sum = 0;  // sum of the positives' ranks (1-based, ties averaged)
    std::size_t npos = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && score[order[j]] == score[order[i]]) ++j;
        const double avg = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t k = i; k < j; ++k)
            if (y[order[k]]) {
                rank_sum += avg;
                ++npos;
            }
        i = j;
    }
    const std::size_t nneg = n - npos;
    if (npos == 0 || nneg == 0) return 0.5;
    const double u = rank_sum - static_cast<double>(npos) * static_cast<double>(npos + 1) / 2.0;
    return u / (static_cast<double>(npos) * static_cast<double>(nneg));
}

bool in_holdout(std::int64_t contact_id, std::uint64_t seed, double fraction) noexcept {
    // splitmix64 of the id mixed with the seed.
    std::uint64_t x = static_cast<std::uint64_t>(contact_id) ^ (seed * 0x9E3779B97F4A7C15ULL);
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    x ^= x >> 31;
    const double u = static_cast<double>(x >> 11) * 0x1.0p-53;
    return u < fraction;
}

}  // namespace crm::predictive
