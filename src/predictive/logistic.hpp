// Private: the arithmetic of predictive scoring, with no database in sight —
// L2-regularised logistic regression by Newton's method, the hold-out split, AUC
// (Mann–Whitney with ties) and log-loss. Deterministic: fixed summation order, no
// random state, no threads; the same inputs give bit-identical outputs.
#pragma once

#include <cstdint>
#include <vector>

namespace crm::predictive {

// Row-major standardised design: rows × cols values.
struct Design {
    std::size_t rows = 0, cols = 0;
    std::vector<double> z;       // rows * cols
    std::vector<std::uint8_t> y;  // rows: 1 positive, 0 negative
};

struct FitOptions {
    double l2 = 1.0;          // penalty on the weights (not the intercept): l2/2 · Σ w²
    int max_iterations = 100;
    double tolerance = 1e-9;  // stop when the largest Newton step is below it
};

struct Fit {
    double intercept = 0;
    std::vector<double> weights;  // cols
    int iterations = 0;
    bool converged = false;
};

// Minimises Σ log(1 + e^(−s·η)) + l2/2 ‖w‖² (η = b + w·z, s = ±1) by Newton steps
// (Cholesky on the (cols+1)² Hessian), halving a step that does not lower it.
Fit fit_logistic(const Design& d, const FitOptions& o);

// 1 / (1 + e^−t), evaluated without overflow.
double sigmoid(double t) noexcept;
// Mean of −[y log p + (1−y) log(1−p)], p clamped to [1e-15, 1 − 1e-15].
double log_loss(const std::vector<double>& p, const std::vector<std::uint8_t>& y);
// Area under the ROC curve = the Mann–Whitney U / (n+ · n−), tied scores counted as
// one half (average ranks). 0.5 when either class is empty.
double auc(const std::vector<double>& score, const std::vector<std::uint8_t>& y);

// True when the contact falls in the hold-out: a hash of (contact id, seed) mapped to
// [0, 1) is below `fraction`. Independent of row order and of any random state.
bool in_holdout(std::int64_t contact_id, std::uint64_t seed, double fraction) noexcept;

}  // namespace crm::predictive
