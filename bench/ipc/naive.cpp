// The naive baseline's QObject (naive.hpp).
#include "naive.hpp"

#include <QJsonDocument>
#include <QJsonObject>

namespace bench {

void naive_object::call(const QString& json) {
  const QJsonObject message = QJsonDocument::fromJson(json.toUtf8()).object();
  const QJsonValue id = message.value(QLatin1String("id"));
  const QString cmd = message.value(QLatin1String("cmd")).toString();
  const QJsonObject args = message.value(QLatin1String("args")).toObject();
  QJsonObject answer{{QLatin1String("id"), id}};
  if (arrivals_ != nullptr && cmd == QLatin1String("echo_small")) arrivals_->mark();
  if (cmd == QLatin1String("echo_small") || cmd == QLatin1String("echo")) {
    answer.insert(QLatin1String("ok"), args.value(QLatin1String("text")).toString());
  } else if (cmd == QLatin1String("emit_events")) {
    const int count = args.value(QLatin1String("count")).toInt();
    for (int i = 0; i < count; ++i) emit tick(i);
    answer.insert(QLatin1String("ok"), QJsonValue::Null);
  } else {
    answer.insert(QLatin1String("error"), QStringLiteral("no command named ") + cmd);
  }
  emit reply(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)));
}

}  // namespace bench
