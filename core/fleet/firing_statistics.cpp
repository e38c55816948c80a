// FiringStatistics: the leader's summary of firing errors (measured edge − T) across followers.
#include "core/fleet/firing_statistics.h"

#include <algorithm>
#include <cmath>

namespace scopesync::core::fleet {

namespace {
double us(std::chrono::nanoseconds d)
{
    return static_cast<double>(d.count()) / 1000.0;
}
}  // namespace

QJsonObject FiringSummary::toJson() const
{
    return {{QStringLiteral("count"), count}, {QStringLiteral("p50_us"), us(p50)},
        {QStringLiteral("p99_us"), us(p99)}, {QStringLiteral("min_us"), us(min)},
        {QStringLiteral("max_us"), us(max)}, {QStringLiteral("abs_p50_us"), us(absP50)},
        {QStringLiteral("abs_p99_us"), us(absP99)}, {QStringLiteral("abs_max_us"), us(absMax)},
        {QStringLiteral("spread_us"), us(spread)}};
}

void FiringStatistics::add(const QString &follower, std::chrono::nanoseconds error)
{
    m_errors.emplace_back(follower, error);
}

std::chrono::nanoseconds FiringStatistics::percentile(
    const std::vector<std::chrono::nanoseconds> &sorted, double p)
{
    if (sorted.empty())
        return std::chrono::nanoseconds(0);
    const double rank = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size()));
    const auto index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
    return sorted[std::min(index, sorted.size() - 1)];
}

FiringSummary FiringStatistics::summary() const
{
    FiringSummary s;
    s.count = int(m_errors.size());
    if (m_errors.empty())
        return s;
    std::vector<std::chrono::nanoseconds> v;
    std::vector<std::chrono::nanoseconds> a;
    for (const auto &e : m_errors) {
        v.push_back(e.second);
        a.push_back(e.second < std::chrono::nanoseconds(0) ? -e.second : e.second);
    }
    std::sort(v.begin(), v.end());
    std::sort(a.begin(), a.end());
    s.p50 = percentile(v, 50);
    s.p99 = percentile(v, 99);
    s.min = v.front();
    s.max = v.back();
    s.absP50 = percentile(a, 50);
    s.absP99 = percentile(a, 99);
    s.absMax = a.back();
    s.spread = s.max - s.min;
    return s;
}

}  // namespace scopesync::core::fleet
