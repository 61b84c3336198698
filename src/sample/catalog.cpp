// The sample company's catalogue and phrases (see catalog.hpp).
#include "sample/catalog.hpp"

namespace crm::sample::catalog {
namespace {

constexpr Text kAttendance{"勤怠管理システム", "attendance system"};
constexpr Text kExpense{"経費精算システム", "expense system"};
constexpr Text kWorkflow{"ワークフロー", "workflow"};
constexpr Text kSupport{"運用サポート", "support plan"};

constexpr ProductSeed kProducts[] = {
    {"勤怠管理クラウド スタンダード（年額・10ID）", "勤怠・労務", 120'000, true, true, kAttendance},
    {"勤怠管理クラウド エンタープライズ（年額・10ID）", "勤怠・労務", 240'000, true, true, kAttendance},
    {"経費精算クラウド（年額・10ID）", "経費・会計", 96'000, true, true, kExpense},
    {"電子請求書オプション（年額）", "経費・会計", 180'000, true, false, kExpense},
    {"ワークフロー申請（年額・10ID）", "ワークフロー", 72'000, true, true, kWorkflow},
    {"給与計算連携オプション（年額）", "勤怠・労務", 150'000, true, false, kAttendance},
    {"プレミアムサポート（年額）", "サポート", 240'000, true, false, kSupport},
    {"導入支援パック（初期設定・操作研修）", "導入サービス", 500'000, true, false, kAttendance},
    {"データ移行サービス", "導入サービス", 300'000, true, false, kAttendance},
    {"オンサイト研修（1日）", "導入サービス", 200'000, true, false, kWorkflow},
    {"API連携開発（1人日）", "導入サービス", 120'000, true, false, kWorkflow},
    {"勤怠管理 オンプレミス版（販売終了）", "勤怠・労務", 1'500'000, false, false, kAttendance},
};

constexpr StageSeed kNewBusiness[] = {
    {"リード獲得", 10, StageKind::open, {"初回ご挨拶のお電話", "Introductory call"}},
    {"ヒアリング", 20, StageKind::open, {"【ヒアリング】勤怠・経費運用の現状と課題", "Discovery meeting: how you work today"}},
    {"提案", 40, StageKind::open, {"ご提案書送付の件", "Our proposal"}},
    {"見積提示", 60, StageKind::open, {"お見積書送付のご案内", "Your quotation"}},
    {"最終交渉", 80, StageKind::open, {"ご契約条件のお打ち合わせ", "Contract terms meeting"}},
    {"受注", 100, StageKind::won, {"ご発注のお礼と導入スケジュールのご案内", "Thank you for your order"}},
    {"失注", 0, StageKind::lost, {"今後のご連絡について", "Following up on your decision"}},
};

constexpr StageSeed kRenewals[] = {
    {"更新案内", 50, StageKind::open, {"ご契約更新のご案内", "Your contract renewal"}},
    {"条件確認", 70, StageKind::open, {"更新条件・追加ライセンスのご相談", "Renewal terms and more licences"}},
    {"更新合意", 100, StageKind::won, {"ご契約更新のお手続き完了のお知らせ", "Your renewal is confirmed"}},
    {"解約", 0, StageKind::lost, {"ご解約のお手続きについて", "About your cancellation"}},
};

constexpr PipelineSeed kPipelines[] = {
    {"新規開拓", kNewBusiness},
    {"既存顧客 更新・拡販", kRenewals},
};

constexpr const char* kLostReasons[] = {"価格", "競合製品に決定", "予算凍結", "導入時期の延期",
                                        "機能要件を満たさない", "連絡が途絶えた", "利用終了（解約）"};

constexpr CampaignSeed kCampaigns[] = {
    {"勤怠DXセミナー {}", CampaignChannel::seminar, 800'000, "/seminar/dx"},
    {"電子帳簿保存法 対応ウェビナー {}", CampaignChannel::web, 150'000, "/webinar/dencho"},
    {"リスティング広告 {}", CampaignChannel::ads, 1'200'000, "/lp/attendance"},
    {"パートナー紹介キャンペーン {}", CampaignChannel::referral, 300'000, "/partner"},
    {"人事労務EXPO 出展 {}", CampaignChannel::other, 2'500'000, "/event/hr-expo"},
    {"ホワイトペーパー配信 {}", CampaignChannel::email, 100'000, "/download/whitepaper"},
};

constexpr const char* kCompetitors[] = {"タイムレコ", "ワークスマイル勤怠", "勤怠ナビPro", "自社開発システム",
                                        "Excel運用", "クラウド経費X"};

constexpr PageSeed kPages[] = {
    {"/", "みらいクラウド｜勤怠管理・経費精算のクラウドサービス", 20},
    {"/features/attendance", "勤怠管理クラウドの機能｜みらいクラウド", 12},
    {"/features/expense", "経費精算クラウドの機能｜みらいクラウド", 8},
    {"/pricing", "料金プラン｜みらいクラウド", 10},
    {"/case-studies", "導入事例一覧｜みらいクラウド", 7},
    {"/case-studies/manufacturing", "導入事例：製造業3,000名の勤怠を一元化", 4},
    {"/download/whitepaper", "資料ダウンロード：電子帳簿保存法 完全ガイド", 5},
    {"/seminar/dx", "セミナー・イベント情報", 5},
    {"/contact", "お問い合わせ・デモのご依頼", 3},
    {"/support/faq", "よくあるご質問（FAQ）", 6},
    {"/support/cancel", "ご解約の手続き", 1},
};

constexpr const char* kReferrers[] = {"https://www.google.com/", "https://search.yahoo.co.jp/", "",
                                      "https://www.bing.com/", "", "https://news.example.jp/hr-tech/"};

constexpr TicketSeed kTickets[] = {
    {{"ログインできない（パスワード再設定メールが届かない）", "Cannot log in: no password reset e-mail"},
     {"パスワード再設定を行いましたがメールが届きません。至急確認をお願いします。",
      "We asked for a password reset but no e-mail arrives."},
     "不具合", TicketPriority::high},
    {{"打刻データが勤務表に反映されない", "Clock-ins do not show on the timesheet"},
     {"本日朝からICカードの打刻が勤務表に反映されていません。", "Since this morning IC card clock-ins are missing."},
     "不具合", TicketPriority::urgent},
    {{"CSV取込で文字化けが発生する", "Garbled characters when importing CSV"},
     {"Excelで保存した社員マスタ（Shift_JIS）を取り込むと氏名が文字化けします。",
      "Employee names are garbled after importing a CSV saved from Excel."},
     "不具合", TicketPriority::normal},
    {{"請求書の再発行依頼", "Please reissue an invoice"},
     {"10月分の請求書の宛名を正式社名に変更して再発行いただけますか。", "Could you reissue October's invoice to our full legal name?"},
     "請求", TicketPriority::low},
    {{"ユーザーの追加方法を知りたい", "How do I add users?"},
     {"新入社員10名を一括で登録する方法を教えてください。", "How can we register ten new employees at once?"},
     "操作方法", TicketPriority::low},
    {{"有給休暇の付与日数が正しくない", "Wrong number of paid leave days"},
     {"4月入社の社員の有給付与日数が規定と異なっています。", "Paid leave granted to April joiners does not match our rules."},
     "不具合", TicketPriority::high},
    {{"月次締め処理がエラーで止まる", "Monthly closing stops with an error"},
     {"月次締めを実行すると「E-1024」が表示され処理が完了しません。給与計算に間に合わないため至急対応をお願いします。",
      "Monthly closing fails with E-1024; payroll is due soon."},
     "不具合", TicketPriority::urgent},
    {{"API連携の仕様について", "Question about the API"},
     {"人事システムと社員情報を連携したいので、APIの仕様書をいただけますか。", "We would like the API specification to sync our HR system."},
     "操作方法", TicketPriority::normal},
    {{"シフト表の一括登録について", "Bulk upload of shift plans"},
     {"店舗ごとのシフト表をまとめて登録する方法はありますか。", "Can we upload the shift plans of all stores at once?"},
     "操作方法", TicketPriority::normal},
    {{"契約ユーザー数の変更", "Change the number of licensed users"},
     {"来月から利用者が30名増えるため、契約数の変更をお願いします。", "We need 30 more users from next month."},
     "請求", TicketPriority::normal},
    {{"スマホアプリで位置情報が取得できない", "Mobile app cannot get the location"},
     {"直行直帰の社員がスマホから打刻すると位置情報エラーになります。", "Staff clocking in from the field get a location error."},
     "不具合", TicketPriority::normal},
    {{"電子帳簿保存法への対応状況の確認", "Compliance with the e-bookkeeping law"},
     {"経費精算の領収書データは電子帳簿保存法の要件を満たしていますか。", "Do stored receipts meet the e-bookkeeping requirements?"},
     "要望", TicketPriority::normal},
    {{"承認ルートを部署ごとに設定したい", "Approval routes per department"},
     {"部署ごとに異なる承認ルートを設定できるようにしてほしいです。", "We would like a different approval route for each department."},
     "要望", TicketPriority::low},
    {{"画面が表示されない（全社で発生）", "Nobody can open the app"},
     {"全社で画面が真っ白になり利用できません。障害でしょうか。", "The screen stays blank for everyone. Is there an outage?"},
     "不具合", TicketPriority::urgent},
    {{"年末調整データの出力形式について", "Export format for the year-end adjustment"},
     {"年末調整用に勤怠データを給与ソフトの形式で出力したいです。", "We need the attendance data in our payroll software's format."},
     "操作方法", TicketPriority::normal},
};

constexpr Text kDealNames[] = {
    {"{}導入", "{} rollout"},
    {"{}リプレース", "{} replacement"},
    {"全社{}展開", "Company-wide {}"},
    {"{}追加ライセンス", "Additional {} licences"},
    {"グループ会社への{}展開", "{} for the group companies"},
    {"{}トライアル後の本導入", "{} after the trial"},
};

constexpr Text kFollowUpCalls[] = {
    {"お打ち合わせ日程のご相談", "Scheduling our next meeting"},
    {"ご検討状況の確認", "Checking in on your evaluation"},
    {"稟議の進捗確認", "Approval status"},
    {"トライアル環境のご利用状況確認", "How is the trial going?"},
    {"導入スケジュールのすり合わせ", "Aligning the rollout schedule"},
    {"ご質問への回答", "Answering your questions"},
};

constexpr Text kNewsletters[] = {
    {"【みらいクラウド通信】{}号：勤怠管理の最新トピック", "Mirai Cloud news, {}: what is new in attendance"},
    {"【新機能】シフト自動作成をリリースしました（{}）", "New: automatic shift planning ({})"},
    {"【無料ウェビナー】電子帳簿保存法 対応のポイント（{}開催）", "Free webinar on the e-bookkeeping law ({})"},
    {"【導入事例】製造業3,000名の勤怠を一元化（{}）", "Case study: 3,000 staff on one system ({})"},
};

constexpr Text kDealTasks[] = {
    {"見積書を作成して送付", "Prepare and send the quotation"},
    {"提案書のドラフト作成", "Draft the proposal"},
    {"決裁者との面談日程を調整", "Arrange a meeting with the decision maker"},
    {"稟議の進捗を確認", "Check the approval status"},
    {"トライアル環境を発行", "Set up a trial environment"},
    {"契約書の締結状況を確認", "Check the contract signature"},
    {"導入キックオフの準備", "Prepare the kickoff"},
};

constexpr Text kTicketTasks[] = {
    {"不具合の再現確認", "Reproduce the issue"},
    {"開発チームへエスカレーション", "Escalate to development"},
    {"回避策をお客様へご案内", "Send the workaround to the customer"},
    {"対応内容をFAQに登録", "Add the answer to the FAQ"},
};

constexpr Text kAccountTasks[] = {
    {"定例会の議事録を送付", "Send the minutes of the regular meeting"},
    {"利用状況レポートを作成", "Prepare the usage report"},
    {"契約更新のご案内を送付", "Send the renewal notice"},
    {"担当者交代のご挨拶", "Introduce the new account manager"},
    {"年末年始休業のご案内を送付", "Send the holiday schedule"},
};

constexpr Text kTicketReplies[] = {
    {"【受付】お問い合わせありがとうございます", "We have received your request"},
    {"【ご回答】お問い合わせの件", "Re: your request"},
    {"状況確認のお電話", "Call about your request"},
};

constexpr const char* kMeetingChannels[] = {"訪問", "Zoom", "Microsoft Teams", "Google Meet", "来社"};
constexpr const char* kTicketCategories[] = {"操作方法", "不具合", "請求", "要望"};

}  // namespace

std::span<const ProductSeed> products() { return kProducts; }
std::span<const PipelineSeed> pipelines() { return kPipelines; }
std::span<const char* const> lost_reasons() { return kLostReasons; }
std::span<const CampaignSeed> campaigns() { return kCampaigns; }
std::span<const char* const> competitors() { return kCompetitors; }
std::span<const PageSeed> pages() { return kPages; }
std::span<const char* const> referrers() { return kReferrers; }
std::span<const TicketSeed> tickets() { return kTickets; }
std::span<const Text> deal_names() { return kDealNames; }
std::span<const Text> follow_up_calls() { return kFollowUpCalls; }
std::span<const Text> newsletter_subjects() { return kNewsletters; }
std::span<const Text> deal_tasks() { return kDealTasks; }
std::span<const Text> ticket_tasks() { return kTicketTasks; }
std::span<const Text> account_tasks() { return kAccountTasks; }
std::span<const Text> ticket_replies() { return kTicketReplies; }
std::span<const char* const> meeting_channels() { return kMeetingChannels; }
std::span<const char* const> ticket_categories() { return kTicketCategories; }

SlaPolicy sla_policy(bool premium) {
    using P = TicketPriority;
    SlaPolicy p;  // targets in business minutes: first response, resolution
    if (premium) {
        p.name = "プレミアムサポートSLA";
        p.targets = {{P::urgent, 30, 4 * 60}, {P::high, 60, 8 * 60}, {P::normal, 2 * 60, 16 * 60}, {P::low, 4 * 60, 24 * 60}};
    } else {
        p.name = "標準サポートSLA";
        p.targets = {{P::urgent, 60, 8 * 60}, {P::high, 2 * 60, 16 * 60}, {P::normal, 4 * 60, 24 * 60}, {P::low, 8 * 60, 40 * 60}};
    }
    return p;
}

}  // namespace crm::sample::catalog
