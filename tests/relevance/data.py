"""Judged products and queries for a relevance test of the search engine.

Pure data (docs/SEARCH.md §8, §9). Grades: 2 = intended product, 1 = acceptable
substitute, unlisted = not relevant. Product provinces use the post-July-2025
units (34 provinces); product names keep the traditional place names producers
still print on labels. Constraints beyond grades:

- ``first``: key that must be rank 1 (a docs/SEARCH.md §9 behaviour);
- ``above``: (higher, lower) pairs whose order must hold;
- ``never_first`` / ``never``: keys that must not be rank 1 / not appear;
- ``only_graded``: every returned product must be graded (no fuzzy noise);
- ``mode``: "search" or "autocomplete" (prefix on the last token).
"""
import unicodedata
from dataclasses import dataclass

GROUPS = ("food", "drinks", "herbal", "handicraft", "ornamental", "tourism")
QUERY_KINDS = (
    "exact", "sub-name", "ascii", "telex", "nfd-tone", "case", "synonym", "typo",
    "ambiguous", "no-answer", "loanword", "i-y", "short-word", "adjacency", "prefix",
)


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    description: str
    producer: str
    province: str
    group: str


@dataclass(frozen=True)
class JudgedQuery:
    qid: str
    text: str
    kind: str
    grades: dict
    first: str = None
    above: tuple = ()
    never_first: tuple = ()
    never: tuple = ()
    only_graded: bool = False
    mode: str = "search"


P = Product
PRODUCTS = (
    P("ca-chach", "Cá chạch sấy khô", "Cá chạch đồng làm sạch, sấy khô giòn, đóng túi 200 g.",
      "HTX Nông nghiệp Yên Thành", "Nghệ An", "food"),
    P("banh-da-nem", "Bánh đa nem Làng Chều", "Bánh đa tráng mỏng bằng tay, phơi nắng, dùng cuốn nem rán.",
      "Cơ sở Bánh đa Làng Chều", "Ninh Bình", "food"),
    P("thanh-long", "Thanh long ruột đỏ Bình Thuận", "Trái thanh long ruột đỏ ngọt đậm, tuyển chọn loại 1.",
      "HTX Thanh long Hàm Thuận Nam", "Lâm Đồng", "food"),
    P("dua-say-deo", "Dứa sấy dẻo Đồng Giao", "Dứa Queen Đồng Giao sấy dẻo, không đường hóa học.",
      "Công ty CP Thực phẩm Đồng Giao", "Ninh Bình", "food"),
    P("keo-dua", "Kẹo dừa Bến Tre", "Kẹo dừa nguyên chất nấu từ nước cốt dừa và mạch nha.",
      "Cơ sở Kẹo dừa Thanh Long", "Vĩnh Long", "food"),
    P("dua-hau", "Dưa hấu Long An", "Dưa hấu ruột đỏ vỏ mỏng, trồng trên đất phù sa.",
      "HTX Dưa hấu Đức Hòa", "Tây Ninh", "food"),
    P("mat-ong-bac-ha", "Mật ong bạc hà Mèo Vạc", "Mật ong hoa bạc hà cao nguyên đá, vị ngọt thanh, chai 500 ml.",
      "HTX Mật ong bạc hà Mèo Vạc", "Tuyên Quang", "food"),
    P("ruou-ngo", "Rượu ngô Bắc Hà", "Rượu ngô men lá nấu thủ công của người Mông ở Bắc Hà.",
      "HTX Rượu ngô Bản Phố", "Lào Cai", "drinks"),
    P("che-shan-tuyet", "Chè Shan Tuyết Suối Giàng", "Chè cổ thụ hái một tôm hai lá, sao tay.",
      "HTX Chè Suối Giàng", "Lào Cai", "food"),
    P("cam-cao-phong", "Cam Cao Phong Hòa Bình", "Cam canh vỏ mỏng, mọng nước, thu hoạch tháng 11.",
      "HTX Cam Cao Phong", "Phú Thọ", "food"),
    P("mam-tom", "Mắm tôm Hậu Lộc Thanh Hoá", "Mắm tôm moi ủ chượp truyền thống, hũ 500 g.",
      "Cơ sở Mắm tôm Hòa Lộc", "Thanh Hóa", "food"),
    P("nuoc-mam-phu-quoc", "Nước mắm cá cơm Phú Quốc", "Nước mắm nhĩ 40 độ đạm ủ chượp trong thùng gỗ.",
      "Nhà thùng Khải Hoàn", "An Giang", "food"),
    P("ca-phe-robusta", "Cà phê Robusta Buôn Ma Thuột", "Cà phê hạt Robusta rang mộc, xay sẵn hoặc nguyên hạt.",
      "HTX Cà phê Ea Tu", "Đắk Lắk", "food"),
    P("che-xanh", "Chè xanh Tân Cương Thái Nguyên", "Chè búp sao sấy, nước xanh, vị chát dịu hậu ngọt.",
      "HTX Chè Tân Cương", "Thái Nguyên", "food"),
    P("buoi-da-xanh", "Bưởi da xanh Bến Tre", "Bưởi da xanh ruột hồng, múi ráo, ít hạt.",
      "HTX Bưởi da xanh Mỏ Cày", "Vĩnh Long", "food"),
    P("che-lam", "Chè lam Thạch Xá", "Bánh chè lam làm từ gạo nếp, mật mía, gừng và lạc rang.",
      "Cơ sở Chè lam Thạch Xá", "Hà Nội", "food"),
    P("thit-lon-gac-bep", "Thịt lợn gác bếp Sơn La", "Thịt lợn bản tẩm mắc khén, hun khói trên gác bếp.",
      "HTX Thịt gác bếp Mường La", "Sơn La", "food"),
    P("keo-lac-vung", "Kẹo lạc vừng Nghệ An", "Kẹo lạc vừng giòn thơm, nấu bằng mật mía.",
      "Cơ sở Kẹo Cu Đơ Đô Lương", "Nghệ An", "food"),
    P("kho-ca-loc", "Khô cá lóc U Minh", "Cá lóc đồng xẻ bướm, phơi một nắng.",
      "HTX Khô cá U Minh", "Cà Mau", "food"),
    P("tra-kho-qua", "Trà khổ qua rừng Bình Định", "Khổ qua rừng thái lát, sấy khô, pha trà giải nhiệt.",
      "HTX Dược liệu Vân Canh", "Gia Lai", "herbal"),
    P("nam-huong", "Nấm hương rừng Lào Cai", "Nấm hương mọc trên thân gỗ rừng, phơi khô tự nhiên.",
      "HTX Nông lâm sản Sa Pa", "Lào Cai", "food"),
    P("moc-nhi", "Mộc nhĩ đen Tây Bắc", "Mộc nhĩ đen sấy khô, tai dày, giòn.",
      "HTX Nông sản Điện Biên", "Điện Biên", "food"),
    P("gao-st25", "Gạo thơm ST25 Sóc Trăng", "Gạo ST25 hạt dài, cơm dẻo, hương lá dứa nhẹ.",
      "Công ty Gạo Hồ Quang Cua", "Cần Thơ", "food"),
    P("toi-ly-son", "Tỏi cô đơn Lý Sơn", "Tỏi một nhánh trồng trên cát núi lửa đảo Lý Sơn.",
      "HTX Tỏi Lý Sơn", "Quảng Ngãi", "food"),
    P("chuoi-say-deo", "Chuối tây sấy dẻo Ba Vì", "Chuối tây chín cây sấy dẻo, không chất bảo quản.",
      "HTX Nông sản Ba Vì", "Hà Nội", "food"),
    P("hat-dieu", "Hạt điều rang muối Bình Phước", "Hạt điều loại W320 rang muối còn vỏ lụa.",
      "Công ty Điều Bù Đăng", "Đồng Nai", "food"),
    P("vai-thieu", "Vải thiều Lục Ngạn", "Vải thiều quả to, cùi dày, hạt nhỏ, vụ tháng 6.",
      "HTX Vải thiều Lục Ngạn", "Bắc Ninh", "food"),
    P("nem-chua", "Nem chua Thanh Hóa", "Nem chua thịt lợn gói lá chuối, ăn kèm lá đinh lăng.",
      "Cơ sở Nem chua Bà Sáu", "Thanh Hóa", "food"),
    P("cha-gio", "Chả giò tôm cua Cà Mau", "Chả giò nhân tôm, cua biển, cuốn bánh tráng rế, đông lạnh.",
      "Cơ sở Chả giò Năm Căn", "Cà Mau", "food"),
    P("banh-trang", "Bánh tráng phơi sương Trảng Bàng", "Bánh tráng phơi sương dẻo, cuốn thịt luộc rau rừng.",
      "Cơ sở Bánh tráng Tư Nhỏ", "Tây Ninh", "food"),
    P("me-xung", "Mè xửng Huế", "Kẹo mè xửng dẻo với mè rang và đậu phộng.",
      "Cơ sở Mè xửng Song Hỷ", "Huế", "food"),
    P("gio-lua", "Giò lụa Ước Lễ", "Giò lụa giã tay từ thịt lợn nóng, gói lá chuối.",
      "Cơ sở Giò chả Ước Lễ", "Hà Nội", "food"),
    P("trung-vit-muoi", "Trứng vịt muối Vân Đình", "Trứng vịt đồng ngâm muối 30 ngày, lòng đỏ béo.",
      "HTX Chăn nuôi Vân Đình", "Hà Nội", "food"),
    P("hong-xiem", "Hồng xiêm Xuân Đỉnh", "Hồng xiêm quả tròn, ngọt sắc, thu hoạch tháng 3.",
      "HTX Hồng xiêm Xuân Đỉnh", "Hà Nội", "food"),
    P("tra-hoa-vang", "Trà hoa vàng Ba Chẽ", "Hoa trà vàng sấy lạnh, nước vàng óng.",
      "HTX Trà hoa vàng Ba Chẽ", "Quảng Ninh", "herbal"),
    P("mut-quat", "Mứt quất Tứ Liên", "Quả quất rim đường giữ nguyên vỏ, vị chua ngọt.",
      "Cơ sở Mứt Tứ Liên", "Hà Nội", "food"),
    P("na-chi-lang", "Na Chi Lăng Lạng Sơn", "Na dai trồng trên núi đá vôi, quả to, mắt mở.",
      "HTX Na Chi Lăng", "Lạng Sơn", "food"),
    P("mang-cau-xiem", "Mãng cầu xiêm sấy dẻo Tiền Giang", "Mãng cầu xiêm chín sấy dẻo, vị chua thanh.",
      "Cơ sở Nông sản Tân Phước", "Đồng Tháp", "food"),
    P("chen-bat-trang", "Bộ bát đĩa gốm Bát Tràng", "Bộ bát, đĩa men lam vẽ tay, 12 món.",
      "Xưởng gốm Bát Tràng", "Hà Nội", "handicraft"),
    P("cha-bong", "Chà bông heo Cần Thơ", "Chà bông thịt heo nạc sợi tơi, không phẩm màu.",
      "Cơ sở Chà bông Cái Răng", "Cần Thơ", "food"),
    P("banh-gai", "Bánh gai Tứ Trụ", "Bánh gai nhân đậu xanh, dừa, gói lá chuối khô.",
      "Cơ sở Bánh gai Tứ Trụ", "Thanh Hóa", "food"),
    P("xoai-cat", "Xoài cát Hòa Lộc", "Xoài cát chín cây, thịt vàng, thơm, ít xơ.",
      "HTX Xoài Hòa Lộc", "Đồng Tháp", "food"),
    P("khan-tho-cam", "Khăn thổ cẩm Mai Châu", "Khăn dệt tay hoa văn người Thái.",
      "HTX Dệt thổ cẩm Bản Lác", "Phú Thọ", "handicraft"),
    P("tinh-dau-que", "Tinh dầu quế Văn Yên", "Tinh dầu quế chưng cất, lọ 10 ml.",
      "HTX Quế Văn Yên", "Lào Cai", "herbal"),
    P("dao-nhat-tan", "Đào cảnh Nhật Tân", "Cành đào phai Nhật Tân chơi Tết.",
      "HTX Hoa đào Nhật Tân", "Hà Nội", "ornamental"),
    P("homestay-ban-lac", "Du lịch cộng đồng bản Lác", "Nghỉ nhà sàn, xem múa xòe, thưởng thức cơm lam.",
      "HTX Du lịch Bản Lác", "Phú Thọ", "tourism"),
)

NFD = "NFD"
Q = JudgedQuery
QUERIES = (
    # Exact names and sub-names (§9.9).
    Q("q01", "Cá chạch sấy khô", "exact", {"ca-chach": 2}, first="ca-chach"),
    Q("q02", "Gạo thơm ST25 Sóc Trăng", "exact", {"gao-st25": 2}, first="gao-st25"),
    Q("q03", "Bánh gai Tứ Trụ", "exact", {"banh-gai": 2}, first="banh-gai"),
    Q("q04", "chạch", "sub-name", {"ca-chach": 2}, first="ca-chach"),
    Q("q05", "tuyết", "sub-name", {"che-shan-tuyet": 2}, first="che-shan-tuyet"),
    Q("q06", "ST25", "sub-name", {"gao-st25": 2}, first="gao-st25"),
    Q("q07", "lục ngạn", "sub-name", {"vai-thieu": 2}, first="vai-thieu"),
    # Accent-free typing (§9.1, 9.2, 9.10).
    Q("q08", "ca chach", "ascii", {"ca-chach": 2}, first="ca-chach"),
    Q("q09", "banh da nem", "ascii", {"banh-da-nem": 2, "banh-trang": 1}, first="banh-da-nem"),
    Q("q10", "thanh long ruot do", "ascii", {"thanh-long": 2}, first="thanh-long"),
    Q("q11", "buon ma thuot", "ascii", {"ca-phe-robusta": 2}, first="ca-phe-robusta"),
    Q("q12", "nuoc mam phu quoc", "ascii", {"nuoc-mam-phu-quoc": 2}, first="nuoc-mam-phu-quoc"),
    Q("q13", "vai thieu", "ascii", {"vai-thieu": 2}, first="vai-thieu"),
    # Exact diacritics beat folded look-alikes (§9.3).
    Q("q14", "dứa", "ambiguous", {"dua-say-deo": 2}, first="dua-say-deo",
      above=(("dua-say-deo", "keo-dua"), ("dua-say-deo", "dua-hau")), never_first=("gao-st25",)),
    Q("q15", "bạc hà", "ambiguous", {"mat-ong-bac-ha": 2}, first="mat-ong-bac-ha",
      above=(("mat-ong-bac-ha", "ruou-ngo"),)),
    # NFD input, tone placement both ways, partial tones (§9.4-9.6).
    Q("q16", unicodedata.normalize(NFD, "chè shan tuyết"), "nfd-tone", {"che-shan-tuyet": 2},
      first="che-shan-tuyet"),
    Q("q17", "cam hoà bình", "nfd-tone", {"cam-cao-phong": 2}, first="cam-cao-phong"),
    Q("q18", "mắm tôm thanh hóa", "nfd-tone", {"mam-tom": 2}, first="mam-tom"),
    Q("q19", "mât ong", "nfd-tone", {"mat-ong-bac-ha": 2}, first="mat-ong-bac-ha"),
    Q("q20", "mạt ong", "nfd-tone", {"mat-ong-bac-ha": 2}, first="mat-ong-bac-ha"),
    Q("q21", "xoài cát hoà lộc", "nfd-tone", {"xoai-cat": 2}, first="xoai-cat"),
    # Case (§9.7).
    Q("q22", "MẬT ONG", "case", {"mat-ong-bac-ha": 2}, first="mat-ong-bac-ha"),
    Q("q23", "GẠO ST25", "case", {"gao-st25": 2}, first="gao-st25"),
    Q("q24", "Tỏi Cô Đơn", "case", {"toi-ly-son": 2}, first="toi-ly-son"),
    # Telex leftovers (§9.8).
    Q("q25", "cas chachj", "telex", {"ca-chach": 2}, first="ca-chach"),
    Q("q26", "nuwowcs mawms", "telex", {"nuoc-mam-phu-quoc": 2}, first="nuoc-mam-phu-quoc"),
    Q("q27", "mawms toom", "telex", {"mam-tom": 2}, first="mam-tom"),
    Q("q28", "toir lys sown", "telex", {"toi-ly-son": 2}, first="toi-ly-son"),
    # Adjacency (§9.11).
    Q("q29", "chè xanh", "adjacency", {"che-xanh": 2, "che-shan-tuyet": 1}, first="che-xanh",
      above=(("che-xanh", "che-shan-tuyet"), ("che-xanh", "buoi-da-xanh"),
             ("che-xanh", "che-lam"))),
    Q("q30", "da xanh", "adjacency", {"buoi-da-xanh": 2}, first="buoi-da-xanh",
      above=(("buoi-da-xanh", "che-xanh"),)),
    Q("q70", "mắm tôm", "adjacency", {"mam-tom": 2}, first="mam-tom",
      above=(("mam-tom", "nuoc-mam-phu-quoc"), ("mam-tom", "cha-gio"))),
    # Regional synonyms (§9.12, 9.13).
    Q("q31", "thịt heo gác bếp", "synonym", {"thit-lon-gac-bep": 2}, first="thit-lon-gac-bep"),
    Q("q32", "rượu bắp", "synonym", {"ruou-ngo": 2}, first="ruou-ngo"),
    Q("q33", "trà shan tuyết", "synonym", {"che-shan-tuyet": 2}, first="che-shan-tuyet"),
    Q("q34", "kẹo đậu phộng", "synonym", {"keo-lac-vung": 2, "me-xung": 1}, first="keo-lac-vung"),
    Q("q35", "cá quả khô", "synonym", {"kho-ca-loc": 2}, first="kho-ca-loc"),
    Q("q36", "mướp đắng", "synonym", {"tra-kho-qua": 2}, first="tra-kho-qua", only_graded=True),
    Q("q37", "đông cô", "synonym", {"nam-huong": 2}, first="nam-huong"),
    Q("q38", "nấm mèo", "synonym", {"moc-nhi": 2}, first="moc-nhi"),
    Q("q39", "chả lụa", "synonym", {"gio-lua": 2}, first="gio-lua"),
    Q("q40", "hột vịt muối", "synonym", {"trung-vit-muoi": 2}, first="trung-vit-muoi"),
    Q("q41", "chè hoa vàng", "synonym", {"tra-hoa-vang": 2}, first="tra-hoa-vang"),
    Q("q42", "mứt tắc", "synonym", {"mut-quat": 2}, first="mut-quat"),
    Q("q43", "chén gốm", "synonym", {"chen-bat-trang": 2}, first="chen-bat-trang"),
    Q("q44", "ruốc heo", "synonym", {"cha-bong": 2}, first="cha-bong"),
    Q("q45", "nem rán", "synonym", {"cha-gio": 2, "nem-chua": 1}, first="cha-gio"),
    Q("q46", "khóm sấy dẻo", "synonym", {"dua-say-deo": 2}, first="dua-say-deo"),
    # One-way and excluded synonyms (§9.14).
    Q("q47", "gạo thơm", "ambiguous", {"gao-st25": 2}, first="gao-st25"),
    Q("q48", "thơm sấy dẻo", "ambiguous", {"dua-say-deo": 2}, first="dua-say-deo"),
    Q("q49", "mãng cầu xiêm", "ambiguous", {"mang-cau-xiem": 2}, first="mang-cau-xiem",
      never=("na-chi-lang",)),
    Q("q50", "mãng cầu", "ambiguous", {"na-chi-lang": 2, "mang-cau-xiem": 2}),
    # Loanwords (§9.15) and i/y (§9.16).
    Q("q51", "cafe", "loanword", {"ca-phe-robusta": 2}, first="ca-phe-robusta"),
    Q("q52", "coffee buôn ma thuột", "loanword", {"ca-phe-robusta": 2}, first="ca-phe-robusta"),
    Q("q53", "sapoche", "loanword", {"hong-xiem": 2}, first="hong-xiem"),
    Q("q54", "tỏi lí sơn", "i-y", {"toi-ly-son": 2}, first="toi-ly-son"),
    Q("q55", "toi ly son", "i-y", {"toi-ly-son": 2}, first="toi-ly-son"),
    Q("q56", "tỏi lý sơn", "i-y", {"toi-ly-son": 2}, first="toi-ly-son"),
    # Short syllables that stop lists and minsize drop (§9.17).
    Q("q57", "long an", "short-word", {"dua-hau": 2}, first="dua-hau"),
    Q("q58", "u minh", "short-word", {"kho-ca-loc": 2}, first="kho-ca-loc"),
    Q("q59", "na", "short-word", {"na-chi-lang": 2}, first="na-chi-lang"),
    # Typos, only as a fallback (§9.18).
    Q("q60", "chuối xấy dẻo", "typo", {"chuoi-say-deo": 2}, first="chuoi-say-deo"),
    Q("q61", "bưởi da sanh", "typo", {"buoi-da-xanh": 2}, first="buoi-da-xanh"),
    Q("q62", "nem trua thanh hoá", "typo", {"nem-chua": 2}, first="nem-chua"),
    # Nothing to find: no product, or only clearly labelled related results.
    Q("q63", "dọc mùng", "no-answer", {}, never=("mat-ong-bac-ha",)),
    Q("q64", "bánh đa cua", "no-answer", {}, never=("banh-trang",)),
    Q("q65", "điện thoại samsung", "no-answer", {}, only_graded=True),
    # As-you-type (§9.19).
    Q("q66", "mat o", "prefix", {"mat-ong-bac-ha": 2}, first="mat-ong-bac-ha", mode="autocomplete"),
    Q("q67", "banh d", "prefix", {"banh-da-nem": 2}, first="banh-da-nem", mode="autocomplete"),
    Q("q68", "nuoc m", "prefix", {"nuoc-mam-phu-quoc": 2}, first="nuoc-mam-phu-quoc",
      mode="autocomplete"),
    Q("q69", "vai th", "prefix", {"vai-thieu": 2}, first="vai-thieu", mode="autocomplete"),
)

PRODUCTS_BY_KEY = {product.key: product for product in PRODUCTS}
