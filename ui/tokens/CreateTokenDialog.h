#pragma once

#include "store/StoreTypes.h"

#include <QDialog>

#include <memory>
#include <optional>

namespace Ui {
class CreateTokenDialog;
}

namespace rk {

class PlatformStore;

// "New API Token": who it is for (preset from the page's selection or owner filter, or chosen
// through the lazy user picker) and a name (1..100 characters, single line; a name the owner
// already uses is allowed, as on the host, but pointed out). Create runs the store's
// createToken() on the UI thread (one short transaction): a refusal shows inline and the dialog
// stays; success emits created() with the plaintext, once, and closes. The plaintext is never
// kept or logged here.
class CreateTokenDialog : public QDialog
{
    Q_OBJECT

public:
    CreateTokenDialog(PlatformStore &store, const Actor &actor, QWidget *parent = nullptr);
    ~CreateTokenDialog() override;

    // Presets the owner (an existing user). Reads their role and status for the note.
    void setOwner(qint64 userId, const QString &username);
    std::optional<qint64> ownerId() const { return m_ownerId; }
    QString tokenName() const;

    // The first problem with the form; empty when Create can run.
    QString problem() const;

Q_SIGNALS:
    // The token exists; `token.plaintext` is the only copy there will ever be.
    void created(const rk::CreatedToken &token);

private:
    void chooseOwner();
    void updateState();
    void submit();

    std::unique_ptr<Ui::CreateTokenDialog> m_ui;
    PlatformStore &m_store;
    Actor m_actor;
    std::optional<qint64> m_ownerId;
    QString m_ownerName;
    QStringList m_ownerTokenNames; // the owner's existing token names, for the duplicate hint
};

} // namespace rk
