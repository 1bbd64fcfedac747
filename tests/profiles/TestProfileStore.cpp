#include "RkTest.h"
#include "profiles/ProfileStore.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>

using namespace rk;

class TestProfileStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<ProfileStore> open()
    {
        return std::make_unique<ProfileStore>(std::make_unique<QSettings>(
            m_dir.filePath(QStringLiteral("profiles.ini")), QSettings::IniFormat));
    }

    static ConnectionProfile host(const QString &name)
    {
        ConnectionProfile p;
        p.name = name;
        p.kind = ConnectionProfile::Kind::Host;
        p.baseUrl = QUrl(QStringLiteral("https://river.example.org:8000"));
        p.auth = ConnectionProfile::Auth::Password;
        p.username = QStringLiteral("alice");
        p.appTokenId = 17;
        return p;
    }

private Q_SLOTS:
    void init() { QFile::remove(m_dir.filePath(QStringLiteral("profiles.ini"))); }

    void savesAndReadsBack()
    {
        auto store = open();
        auto saved = store->save(host(QStringLiteral("prod")));
        QVERIFY2(saved.ok(), saved ? "" : qPrintable(saved.error().message));
        QVERIFY(!saved->id.isEmpty());

        ConnectionProfile db;
        db.name = QStringLiteral("lab copy");
        db.kind = ConnectionProfile::Kind::Database;
        db.databasePath = QStringLiteral("/srv/river/kohakuriver.db");
        db.readOnly = true;
        QVERIFY(store->save(db).ok());

        auto reopened = open(); // another process (the CLI) reads the same file
        const QList<ConnectionProfile> all = reopened->profiles();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).name, QStringLiteral("lab copy")); // sorted by name
        QCOMPARE(all.at(0).kind, ConnectionProfile::Kind::Database);
        QVERIFY(all.at(0).readOnly);
        const auto prod = reopened->profileNamed(QStringLiteral("PROD"));
        QVERIFY(prod.has_value());
        QCOMPARE(prod->id, saved->id);
        QCOMPARE(prod->baseUrl, QUrl(QStringLiteral("https://river.example.org:8000")));
        QCOMPARE(prod->username, QStringLiteral("alice"));
        QCOMPARE(prod->appTokenId, qint64(17));
        QCOMPARE(prod->secretKey(), QStringLiteral("profile/%1/secret").arg(saved->id));
    }

    void refusesInvalidAndDuplicateNames()
    {
        auto store = open();
        QVERIFY(store->save(host(QStringLiteral("prod"))).ok());
        auto duplicate = store->save(host(QStringLiteral("Prod")));
        QVERIFY(!duplicate.ok());
        QCOMPARE(duplicate.error().code, Error::Code::Conflict);

        ConnectionProfile bad = host(QStringLiteral("bad"));
        bad.baseUrl = QUrl(QStringLiteral("ftp://river"));
        QCOMPARE(store->save(bad).error().code, Error::Code::Invalid);
        bad.baseUrl = QUrl(QStringLiteral("https://admin:pw@river"));
        QVERIFY(store->save(bad).error().message.contains(QLatin1String("password")));
        bad.baseUrl = QUrl(QStringLiteral("river-without-scheme"));
        QCOMPARE(store->save(bad).error().code, Error::Code::Invalid);
        ConnectionProfile noName = host(QStringLiteral("  "));
        QCOMPARE(store->save(noName).error().code, Error::Code::Invalid);
        ConnectionProfile noFile;
        noFile.name = QStringLiteral("file");
        noFile.kind = ConnectionProfile::Kind::HostAndDatabase;
        noFile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:8000"));
        QCOMPARE(store->save(noFile).error().code, Error::Code::Invalid);
        QCOMPARE(store->profiles().size(), 1);
    }

    void trustedCertificatesAreSavedInOneSpellingAndChecked()
    {
        const QString fingerprint = QStringLiteral("09:92:88:1E:32:B0:0B:CA:1F:56:EA:78:68:74:0A:40:68:DE:62:"
                                                   "DF:37:F6:30:17:04:1F:AB:A4:73:1E:03:32");
        auto store = open();
        ConnectionProfile p = host(QStringLiteral("lab"));
        // Pasted without colons and in lower case: saved as the dialog shows it, once.
        p.trustedCertificates = QStringList {
            fingerprint.toLower().remove(QLatin1Char(':')), fingerprint, fingerprint.toLower()};
        auto saved = store->save(p);
        QVERIFY2(saved.ok(), saved ? "" : qPrintable(saved.error().message));
        QCOMPARE(saved->trustedCertificates, QStringList {fingerprint});
        QCOMPARE(open()->profile(saved->id)->trustedCertificates, QStringList {fingerprint});

        // Not a SHA-256 fingerprint: refused, and the saved one stays.
        ConnectionProfile bad = saved.value();
        bad.trustedCertificates = QStringList {QStringLiteral("00:11:22")};
        const auto refused = store->save(bad);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, Error::Code::Invalid);
        QVERIFY(refused.error().message.contains(QLatin1String("00:11:22")));
        bad.trustedCertificates = QStringList {fingerprint.left(94) + QStringLiteral("Z")};
        QVERIFY(!store->save(bad).ok());
        QCOMPARE(store->profile(saved->id)->trustedCertificates, QStringList {fingerprint});

        // Forgetting is saving without them.
        ConnectionProfile forgotten = saved.value();
        forgotten.trustedCertificates.clear();
        QVERIFY(store->save(forgotten).ok());
        QVERIFY(open()->profile(saved->id)->trustedCertificates.isEmpty());
        QSettings raw(m_dir.filePath(QStringLiteral("profiles.ini")), QSettings::IniFormat);
        QVERIFY(!raw.contains(QStringLiteral("profiles/%1/trustedCertificates").arg(saved->id)));
    }

    void replacesRemovesAndRemembersLastUsed()
    {
        auto store = open();
        auto saved = store->save(host(QStringLiteral("prod")));
        QVERIFY(saved.ok());
        ConnectionProfile changed = saved.value();
        changed.name = QStringLiteral("production");
        changed.appTokenId = -1;
        QVERIFY(store->save(changed).ok());
        QCOMPARE(store->profiles().size(), 1);
        QCOMPARE(store->profile(saved->id)->name, QStringLiteral("production"));
        QCOMPARE(store->profile(saved->id)->appTokenId, qint64(-1));

        store->setLastUsed(saved->id);
        QCOMPARE(open()->lastUsedId(), saved->id);
        store->remove(saved->id);
        QVERIFY(store->profiles().isEmpty());
        QVERIFY(store->lastUsedId().isEmpty());
    }
};

RK_TEST_GUILESS_MAIN(TestProfileStore)
#include "TestProfileStore.moc"
