#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <array>
#include <optional>

namespace rk {

// A group's limits_json as the limits form sees it: the three quota keys Riverkeeper edits
// (max_tasks, max_vps, gpu_cap) and every other key, which is kept with its value as stored.
// The store writes the result back as the host writes JSON (pyjson); see PlatformStore::updateGroup.
//
// Hostile data is expected: the text may not be JSON, or not an object (isObject() false, and
// problem() says why), and a quota key may hold anything (text() shows it, checkField() refuses it).
// Plain values, no I/O; any thread.
class GroupLimits
{
    Q_DECLARE_TR_FUNCTIONS(rk::GroupLimits)

public:
    enum Key { MaxTasks, MaxVps, GpuCap, KeyCount };
    // The largest limit the store accepts (the host's columns are Python ints; this is a sane cap).
    static constexpr int kMaxValue = 2147483647;

    static QString keyName(Key key); // "max_tasks"
    static QString label(Key key); // "Max tasks" (translated)

    // Reads limits_json as stored (empty text counts as "{}", the column's default).
    static GroupLimits parse(const QString &stored);

    bool isObject() const { return m_isObject; }
    const QString &stored() const { return m_stored; }
    // Why the stored text is not a JSON object (a parse error or the JSON type it holds).
    const QString &problem() const { return m_problem; }

    // A quota key's stored value for the form: empty when absent or null, "4" for whole numbers,
    // and the JSON text of anything else ("\"lots\"", "-1", "2.5"), which the form then refuses.
    QString text(Key key) const;
    // The quota key's stored value when it is a valid limit; nullopt when absent, null or invalid.
    std::optional<int> value(Key key) const;
    // The keys other than the quota keys, sorted, each with its value as compact JSON text.
    QList<QPair<QString, QString>> otherKeys() const;

    // One form field: empty means "no limit"; otherwise a whole number 0..kMaxValue.
    struct Field
    {
        bool valid = true;
        std::optional<int> value;
        QString error; // a sentence naming the field, when not valid
    };
    static Field checkField(Key key, const QString &text);

    // The JSON object with the quota keys set to `values` (nullopt: no limit, the key removed) and
    // every other key unchanged. A quota key whose value the form did not change keeps its stored
    // JSON value exactly (a null stays null, an absent key stays absent). Compact JSON text.
    // Only for isObject() limits; for others it starts from an empty object (a replacement).
    QString withQuotas(const std::array<std::optional<int>, KeyCount> &values) const;
    // "Limits: 50 tasks, 4 VPS, GPU cap 8; 1 other key kept": a one-line summary.
    QString summary() const;

private:
    QString m_stored;
    bool m_isObject = false;
    QString m_problem;
    QJsonObject m_object;
};

} // namespace rk
