#pragma once

#include "FakeHttpServer.h"

#include <QString>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace rk::test {

// The fake host's path matching: one per request, asked route by route with on().
// Matches "/api/auth/tokens/5" against {"api", "auth", "tokens", "*"}; '*' segments are captured.
class FakeHostRouter
{
public:
    explicit FakeHostRouter(const RecordedRequest &request)
        : m_request(request), m_segments(request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts))
    {
    }

    // True when the path matches and the method too; a path match with another method is
    // remembered for a 405.
    bool on(const char *method, std::initializer_list<const char *> pattern)
    {
        if (static_cast<qsizetype>(pattern.size()) != m_segments.size())
            return false;
        QStringList params;
        qsizetype i = 0;
        for (const char *part : pattern) {
            if (qstrcmp(part, "*") == 0)
                params.append(m_segments.at(i));
            else if (m_segments.at(i) != QLatin1String(part))
                return false;
            ++i;
        }
        if (m_request.method != method) {
            m_wrongMethod = true;
            return false;
        }
        m_params = params;
        return true;
    }
    QString param(int i) const { return m_params.value(i); }
    std::optional<FakeReply> notMatched() const
    {
        if (m_wrongMethod)
            return FakeReply::detail(405, QStringLiteral("Method Not Allowed"));
        return std::nullopt;
    }

private:
    const RecordedRequest &m_request;
    QStringList m_segments;
    QStringList m_params;
    bool m_wrongMethod = false;
};

} // namespace rk::test
