// The sample generator's tables. Order matters: indices feed the deterministic
// generator, so appending changes nothing already generated, but editing or
// reordering an entry changes every data set made from the same seed.
#include "sample/names.hpp"

namespace crm::sample::data {
namespace {

constexpr JaName kJaFamily[] = {
    {"佐藤", "サトウ", "sato"},         {"鈴木", "スズキ", "suzuki"},       {"高橋", "タカハシ", "takahashi"},
    {"田中", "タナカ", "tanaka"},       {"伊藤", "イトウ", "ito"},          {"渡辺", "ワタナベ", "watanabe"},
    {"山本", "ヤマモト", "yamamoto"},   {"中村", "ナカムラ", "nakamura"},   {"小林", "コバヤシ", "kobayashi"},
    {"加藤", "カトウ", "kato"},         {"吉田", "ヨシダ", "yoshida"},      {"山田", "ヤマダ", "yamada"},
    {"佐々木", "ササキ", "sasaki"},     {"山口", "ヤマグチ", "yamaguchi"},  {"松本", "マツモト", "matsumoto"},
    {"井上", "イノウエ", "inoue"},      {"木村", "キムラ", "kimura"},       {"林", "ハヤシ", "hayashi"},
    {"斎藤", "サイトウ", "saito"},      {"清水", "シミズ", "shimizu"},      {"山崎", "ヤマザキ", "yamazaki"},
    {"森", "モリ", "mori"},             {"池田", "イケダ", "ikeda"},        {"橋本", "ハシモト", "hashimoto"},
    {"阿部", "アベ", "abe"},            {"石川", "イシカワ", "ishikawa"},   {"山下", "ヤマシタ", "yamashita"},
    {"中島", "ナカジマ", "nakajima"},   {"石井", "イシイ", "ishii"},        {"小川", "オガワ", "ogawa"},
    {"前田", "マエダ", "maeda"},        {"岡田", "オカダ", "okada"},        {"長谷川", "ハセガワ", "hasegawa"},
    {"藤田", "フジタ", "fujita"},       {"後藤", "ゴトウ", "goto"},         {"近藤", "コンドウ", "kondo"},
    {"村上", "ムラカミ", "murakami"},   {"遠藤", "エンドウ", "endo"},       {"青木", "アオキ", "aoki"},
    {"坂本", "サカモト", "sakamoto"},   {"竹内", "タケウチ", "takeuchi"},   {"福田", "フクダ", "fukuda"},
    {"太田", "オオタ", "ota"},          {"西村", "ニシムラ", "nishimura"},  {"藤井", "フジイ", "fujii"},
    {"金子", "カネコ", "kaneko"},       {"岡本", "オカモト", "okamoto"},    {"藤原", "フジワラ", "fujiwara"},
    {"中野", "ナカノ", "nakano"},       {"三浦", "ミウラ", "miura"},        {"原田", "ハラダ", "harada"},
    {"松田", "マツダ", "matsuda"},
};

constexpr JaName kJaGivenMale[] = {
    {"太郎", "タロウ", "taro"},       {"一郎", "イチロウ", "ichiro"},   {"健太", "ケンタ", "kenta"},
    {"翔太", "ショウタ", "shota"},    {"大輔", "ダイスケ", "daisuke"},  {"拓也", "タクヤ", "takuya"},
    {"直樹", "ナオキ", "naoki"},      {"誠", "マコト", "makoto"},       {"浩", "ヒロシ", "hiroshi"},
    {"隆", "タカシ", "takashi"},      {"健一", "ケンイチ", "kenichi"},  {"雄一", "ユウイチ", "yuichi"},
    {"和也", "カズヤ", "kazuya"},     {"達也", "タツヤ", "tatsuya"},    {"陽介", "ヨウスケ", "yosuke"},
    {"蓮", "レン", "ren"},            {"大翔", "ヒロト", "hiroto"},     {"悠真", "ユウマ", "yuma"},
    {"湊", "ミナト", "minato"},       {"翔", "ショウ", "sho"},          {"亮", "リョウ", "ryo"},
    {"修", "オサム", "osamu"},        {"剛", "ツヨシ", "tsuyoshi"},     {"学", "マナブ", "manabu"},
    {"智也", "トモヤ", "tomoya"},
};

constexpr JaName kJaGivenFemale[] = {
    {"花子", "ハナコ", "hanako"},     {"陽子", "ヨウコ", "yoko"},       {"恵子", "ケイコ", "keiko"},
    {"裕子", "ユウコ", "yuko"},       {"美穂", "ミホ", "miho"},         {"直美", "ナオミ", "naomi"},
    {"由美", "ユミ", "yumi"},         {"真由美", "マユミ", "mayumi"},   {"愛", "アイ", "ai"},
    {"彩", "アヤ", "aya"},            {"美咲", "ミサキ", "misaki"},     {"さくら", "サクラ", "sakura"},
    {"葵", "アオイ", "aoi"},          {"結衣", "ユイ", "yui"},          {"陽菜", "ヒナ", "hina"},
    {"明美", "アケミ", "akemi"},      {"千尋", "チヒロ", "chihiro"},    {"麻衣", "マイ", "mai"},
    {"香織", "カオリ", "kaori"},      {"智子", "トモコ", "tomoko"},     {"久美子", "クミコ", "kumiko"},
    {"真理子", "マリコ", "mariko"},   {"美香", "ミカ", "mika"},         {"奈々", "ナナ", "nana"},
    {"理恵", "リエ", "rie"},
};

// Company name stems: places, old-fashioned auspicious words, and a few family names.
constexpr JaName kJaCompanyStem[] = {
    {"日本", "ニホン", "nihon"},       {"東京", "トウキョウ", "tokyo"},   {"大阪", "オオサカ", "osaka"},
    {"中央", "チュウオウ", "chuo"},    {"富士", "フジ", "fuji"},          {"桜", "サクラ", "sakura"},
    {"北斗", "ホクト", "hokuto"},      {"大和", "ヤマト", "yamato"},      {"旭", "アサヒ", "asahi"},
    {"三和", "サンワ", "sanwa"},       {"東洋", "トウヨウ", "toyo"},      {"太平洋", "タイヘイヨウ", "taiheiyo"},
    {"光", "ヒカリ", "hikari"},        {"新星", "シンセイ", "shinsei"},   {"青葉", "アオバ", "aoba"},
    {"瑞穂", "ミズホ", "mizuho"},      {"双葉", "フタバ", "futaba"},      {"明和", "メイワ", "meiwa"},
    {"昭栄", "ショウエイ", "shoei"},   {"関東", "カントウ", "kanto"},     {"北陸", "ホクリク", "hokuriku"},
    {"九州", "キュウシュウ", "kyushu"}, {"湘南", "ショウナン", "shonan"}, {"浪速", "ナニワ", "naniwa"},
    {"若葉", "ワカバ", "wakaba"},      {"高砂", "タカサゴ", "takasago"},  {"白鳥", "シラトリ", "shiratori"},
    {"朝日", "アサヒ", "asahi"},       {"平和", "ヘイワ", "heiwa"},       {"共栄", "キョウエイ", "kyoei"},
    {"山田", "ヤマダ", "yamada"},      {"鈴木", "スズキ", "suzuki"},      {"田中", "タナカ", "tanaka"},
    {"西村", "ニシムラ", "nishimura"}, {"藤原", "フジワラ", "fujiwara"},  {"みらい", "ミライ", "mirai"},
    {"あおぞら", "アオゾラ", "aozora"}, {"ひまわり", "ヒマワリ", "himawari"}, {"つばさ", "ツバサ", "tsubasa"},
    {"碧", "アオイ", "aoi"},
};

constexpr JaBusiness kJaBusiness[] = {
    {"商事", "ショウジ", "shoji", "商社"},
    {"工業", "コウギョウ", "kogyo", "製造業"},
    {"電機", "デンキ", "denki", "電気機器"},
    {"物産", "ブッサン", "bussan", "商社"},
    {"製作所", "セイサクショ", "seisakusho", "機械"},
    {"建設", "ケンセツ", "kensetsu", "建設業"},
    {"食品", "ショクヒン", "shokuhin", "食料品"},
    {"システムズ", "システムズ", "systems", "情報・通信業"},
    {"技研", "ギケン", "giken", "精密機器"},
    {"化学", "カガク", "kagaku", "化学"},
    {"運輸", "ウンユ", "unyu", "陸運業"},
    {"不動産", "フドウサン", "fudosan", "不動産業"},
    {"印刷", "インサツ", "insatsu", "その他製品"},
    {"製薬", "セイヤク", "seiyaku", "医薬品"},
    {"通信", "ツウシン", "tsushin", "情報・通信業"},
    {"産業", "サンギョウ", "sangyo", "卸売業"},
    {"精機", "セイキ", "seiki", "精密機器"},
    {"電子", "デンシ", "denshi", "電気機器"},
    {"ソリューションズ", "ソリューションズ", "solutions", "サービス業"},
    {"商会", "ショウカイ", "shokai", "卸売業"},
    {"物流", "ブツリュウ", "butsuryu", "倉庫・運輸関連業"},
    {"ホールディングス", "ホールディングス", "holdings", "サービス業"},
};

constexpr Place kJaPlaces[] = {
    {"JP", "東京都", "千代田区", "丸の内", "〒100-####", "03-####-####", "090-####-####", "関東", false},
    {"JP", "東京都", "港区", "芝浦", "〒108-####", "03-####-####", "080-####-####", "関東", false},
    {"JP", "東京都", "新宿区", "西新宿", "〒160-####", "03-####-####", "090-####-####", "関東", false},
    {"JP", "東京都", "渋谷区", "道玄坂", "〒150-####", "03-####-####", "070-####-####", "関東", false},
    {"JP", "東京都", "中央区", "日本橋", "〒103-####", "03-####-####", "080-####-####", "関東", false},
    {"JP", "神奈川県", "横浜市西区", "みなとみらい", "〒220-####", "045-###-####", "090-####-####", "関東", false},
    {"JP", "埼玉県", "さいたま市大宮区", "桜木町", "〒330-####", "048-###-####", "080-####-####", "関東", false},
    {"JP", "千葉県", "千葉市美浜区", "中瀬", "〒261-####", "043-###-####", "090-####-####", "関東", false},
    {"JP", "大阪府", "大阪市北区", "梅田", "〒530-####", "06-####-####", "090-####-####", "関西", false},
    {"JP", "大阪府", "大阪市中央区", "本町", "〒541-####", "06-####-####", "080-####-####", "関西", false},
    {"JP", "京都府", "京都市下京区", "烏丸通", "〒600-####", "075-###-####", "090-####-####", "関西", false},
    {"JP", "兵庫県", "神戸市中央区", "三宮町", "〒650-####", "078-###-####", "070-####-####", "関西", false},
    {"JP", "愛知県", "名古屋市中村区", "名駅", "〒450-####", "052-###-####", "090-####-####", "中部", false},
    {"JP", "静岡県", "静岡市葵区", "紺屋町", "〒420-####", "054-###-####", "080-####-####", "中部", false},
    {"JP", "福岡県", "福岡市博多区", "博多駅前", "〒812-####", "092-###-####", "090-####-####", "九州", false},
    {"JP", "北海道", "札幌市中央区", "北一条西", "〒060-####", "011-###-####", "080-####-####", "北海道・東北", false},
    {"JP", "宮城県", "仙台市青葉区", "一番町", "〒980-####", "022-###-####", "090-####-####", "北海道・東北", false},
    {"JP", "広島県", "広島市中区", "紙屋町", "〒730-####", "082-###-####", "080-####-####", "中国・四国", false},
};

constexpr const char* kJaTitles[] = {"代表取締役", "取締役", "執行役員", "部長", "部長", "次長", "課長", "課長",
                                     "係長", "主任", "主任", "マネージャー", "リーダー", "担当"};
constexpr const char* kJaDepartments[] = {"営業部", "情報システム部", "総務部", "人事部", "経理部", "経営企画部",
                                          "マーケティング部", "開発部", "購買部", "法務部", "カスタマーサポート部",
                                          "製造部", "品質保証部", "広報部"};
constexpr const char* kJaTags[] = {"VIP", "決裁者", "展示会2025", "要フォロー", "セミナー参加", "紹介"};

constexpr WestName kWestGiven[] = {
    {"James", "james"},     {"Mary", "mary"},         {"John", "john"},         {"Patricia", "patricia"},
    {"Robert", "robert"},   {"Jennifer", "jennifer"}, {"Michael", "michael"},   {"Linda", "linda"},
    {"William", "william"}, {"Elizabeth", "elizabeth"}, {"David", "david"},     {"Barbara", "barbara"},
    {"Richard", "richard"}, {"Susan", "susan"},       {"Joseph", "joseph"},     {"Jessica", "jessica"},
    {"Thomas", "thomas"},   {"Sarah", "sarah"},       {"Charles", "charles"},   {"Karen", "karen"},
    {"Daniel", "daniel"},   {"Emma", "emma"},         {"Matthew", "matthew"},   {"Olivia", "olivia"},
    {"Anthony", "anthony"}, {"Sophie", "sophie"},     {"Mark", "mark"},         {"Laura", "laura"},
    {"Paul", "paul"},       {"Anna", "anna"},         {"Steven", "steven"},     {"Julia", "julia"},
    {"Andrew", "andrew"},   {"Hannah", "hannah"},     {"Lukas", "lukas"},       {"Lena", "lena"},
    {"Felix", "felix"},     {"Marie", "marie"},       {"Pierre", "pierre"},     {"Camille", "camille"},
    {"Lars", "lars"},       {"Sanne", "sanne"},       {"Oliver", "oliver"},     {"Amelia", "amelia"},
    {"Noah", "noah"},       {"Chloé", "chloe"},       {"Lucas", "lucas"},       {"Mia", "mia"},
    {"Jörg", "joerg"},      {"Zoë", "zoe"},
};

constexpr WestName kWestFamily[] = {
    {"Smith", "smith"},       {"Johnson", "johnson"},   {"Williams", "williams"}, {"Brown", "brown"},
    {"Jones", "jones"},       {"Miller", "miller"},     {"Davis", "davis"},       {"Wilson", "wilson"},
    {"Anderson", "anderson"}, {"Taylor", "taylor"},     {"Thomas", "thomas"},     {"Moore", "moore"},
    {"Martin", "martin"},     {"Jackson", "jackson"},   {"Thompson", "thompson"}, {"White", "white"},
    {"Harris", "harris"},     {"Clark", "clark"},       {"Lewis", "lewis"},       {"Walker", "walker"},
    {"Hall", "hall"},         {"Allen", "allen"},       {"Young", "young"},       {"King", "king"},
    {"Wright", "wright"},     {"Scott", "scott"},       {"Green", "green"},       {"Baker", "baker"},
    {"Adams", "adams"},       {"Nelson", "nelson"},     {"Carter", "carter"},     {"Mitchell", "mitchell"},
    {"Roberts", "roberts"},   {"Turner", "turner"},     {"Phillips", "phillips"}, {"Campbell", "campbell"},
    {"Parker", "parker"},     {"Evans", "evans"},       {"Edwards", "edwards"},   {"Collins", "collins"},
    {"Müller", "mueller"},    {"Schmidt", "schmidt"},   {"Schneider", "schneider"}, {"Fischer", "fischer"},
    {"Weber", "weber"},       {"Dubois", "dubois"},     {"Laurent", "laurent"},   {"Bernard", "bernard"},
    {"de Vries", "devries"},  {"O'Brien", "obrien"},
};

constexpr WestName kWestCompanyStem[] = {
    {"Northwind", "northwind"},   {"Bluefield", "bluefield"},   {"Silverline", "silverline"},
    {"Granite", "granite"},       {"Harborview", "harborview"}, {"Pioneer", "pioneer"},
    {"Summit", "summit"},         {"Redwood", "redwood"},       {"Evergreen", "evergreen"},
    {"Brightwater", "brightwater"}, {"Ironbridge", "ironbridge"}, {"Clearpath", "clearpath"},
    {"Westbrook", "westbrook"},   {"Oakridge", "oakridge"},     {"Lakeside", "lakeside"},
    {"Sterling", "sterling"},     {"Crescent", "crescent"},     {"Horizon", "horizon"},
    {"Keystone", "keystone"},     {"Maple", "maple"},           {"Falcon", "falcon"},
    {"Atlas", "atlas"},           {"Beacon", "beacon"},         {"Cobalt", "cobalt"},
    {"Meridian", "meridian"},     {"Orion", "orion"},           {"Vertex", "vertex"},
    {"Juniper", "juniper"},       {"Copperleaf", "copperleaf"}, {"Riverstone", "riverstone"},
};

constexpr WestBusiness kWestBusiness[] = {
    {"Systems", "systems", "Technology"},         {"Logistics", "logistics", "Transportation"},
    {"Analytics", "analytics", "Technology"},     {"Foods", "foods", "Food & Beverage"},
    {"Manufacturing", "manufacturing", "Manufacturing"}, {"Consulting", "consulting", "Professional Services"},
    {"Energy", "energy", "Energy"},               {"Health", "health", "Healthcare"},
    {"Labs", "labs", "Biotechnology"},            {"Retail", "retail", "Retail"},
    {"Capital", "capital", "Financial Services"}, {"Robotics", "robotics", "Industrial Automation"},
    {"Media", "media", "Media"},                  {"Software", "software", "Software"},
};

constexpr Place kWestPlaces[] = {
    {"US", "NY", "New York", "Madison Avenue", "100##", "+1 212-555-01##", "+1 917-555-01##", "Americas", true},
    {"US", "CA", "San Francisco", "Market Street", "941##", "+1 415-555-01##", "+1 628-555-01##", "Americas", true},
    {"US", "IL", "Chicago", "Wacker Drive", "606##", "+1 312-555-01##", "+1 773-555-01##", "Americas", true},
    {"US", "TX", "Austin", "Congress Avenue", "787##", "+1 512-555-01##", "+1 737-555-01##", "Americas", true},
    {"US", "WA", "Seattle", "Pine Street", "981##", "+1 206-555-01##", "+1 425-555-01##", "Americas", true},
    {"GB", "England", "London", "Old Street", "EC1V #@@", "+44 20 7946 0###", "+44 7700 900###", "EMEA", true},
    {"GB", "England", "Manchester", "Deansgate", "M3 #@@", "+44 161 496 0###", "+44 7700 900###", "EMEA", true},
    {"DE", "Berlin", "Berlin", "Friedrichstraße", "101##", "+49 30 #######", "+49 151 ########", "EMEA", false},
    {"DE", "Bayern", "München", "Leopoldstraße", "803##", "+49 89 #######", "+49 160 ########", "EMEA", false},
    {"NL", "Noord-Holland", "Amsterdam", "Herengracht", "10## @@", "+31 20 ### ####", "+31 6 ########", "EMEA", false},
    {"FR", "Île-de-France", "Paris", "Rue de Rivoli", "7500#", "+33 1 ## ## ## ##", "+33 6 ## ## ## ##", "EMEA", true},
    {"FR", "Auvergne-Rhône-Alpes", "Lyon", "Rue de la République", "6900#", "+33 4 ## ## ## ##", "+33 7 ## ## ## ##", "EMEA", true},
};

constexpr const char* kWestTitles[] = {"CEO", "CFO", "CTO", "VP Sales", "Head of IT", "IT Manager", "Procurement Lead",
                                       "Marketing Manager", "Operations Director", "Software Engineer", "Analyst",
                                       "Account Manager", "Office Manager", "Buyer"};
constexpr const char* kWestDepartments[] = {"Sales", "IT", "Finance", "HR", "Marketing", "Operations", "Procurement",
                                            "Legal", "Engineering", "Customer Success", "Executive"};
constexpr const char* kWestTags[] = {"VIP", "decision-maker", "newsletter", "trade-show-2025", "follow-up", "referral"};

constexpr const char* kLeadSources[] = {"website", "referral", "trade_show", "webinar", "cold_call",
                                        "partner", "advertising", "social", "seminar", "inbound_call"};

constexpr TeamSeed kTeams[] = {
    {"東日本営業部", "関東"},     {"西日本営業部", "関西"},     {"インサイドセールス", "関東"},
    {"中部営業部", "中部"},       {"カスタマーサクセス", "関東"}, {"Global Accounts", "EMEA"},
    {"九州営業所", "九州"},       {"Americas Sales", "Americas"}, {"パートナー営業部", "関東"},
    {"北海道・東北営業所", "北海道・東北"},
};

}  // namespace

std::span<const JaName> ja_family() { return kJaFamily; }
std::span<const JaName> ja_given_male() { return kJaGivenMale; }
std::span<const JaName> ja_given_female() { return kJaGivenFemale; }
std::span<const JaName> ja_company_stem() { return kJaCompanyStem; }
std::span<const JaBusiness> ja_business() { return kJaBusiness; }
std::span<const Place> ja_places() { return kJaPlaces; }
std::span<const char* const> ja_titles() { return kJaTitles; }
std::span<const char* const> ja_departments() { return kJaDepartments; }
std::span<const char* const> ja_tags() { return kJaTags; }

std::span<const WestName> west_given() { return kWestGiven; }
std::span<const WestName> west_family() { return kWestFamily; }
std::span<const WestName> west_company_stem() { return kWestCompanyStem; }
std::span<const WestBusiness> west_business() { return kWestBusiness; }
std::span<const Place> west_places() { return kWestPlaces; }
std::span<const char* const> west_titles() { return kWestTitles; }
std::span<const char* const> west_departments() { return kWestDepartments; }
std::span<const char* const> west_tags() { return kWestTags; }

std::span<const char* const> lead_sources() { return kLeadSources; }
std::span<const TeamSeed> teams() { return kTeams; }

}  // namespace crm::sample::data
