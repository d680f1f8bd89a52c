"""`flask --app app demo load`: demo accounts and producers for a first run."""
from datetime import date

import click
from flask.cli import AppGroup

from accounts import services as account_services
from accounts.models import Role, User
from extensions import db
from places import units
from producers.models import Certificate, PaymentAccount, Producer, ProducerStatus
from vntext import slugify

demo_cli = AppGroup("demo", help="Demo data for trying the site.")

DEMO_PASSWORD = "choque-demo-2025"
ADMIN_PHONE = "+84900000001"

# (province, commune, officer phone, producer phone, legal name, kind, address, bank BIN, account, holder)
DEMO_COMMUNES = [
    ("Ninh Bình", "Yên Mô", "+84900000011", "+84911000001", "HTX Nông sản Yên Hòa", "cooperative",
     "Thôn Bình Hải, xã Yên Hòa cũ", "970405", "3100205123456", "HTX NONG SAN YEN HOA"),
    ("Lào Cai", "Gia Phú", "+84900000012", "+84911000002", "HTX Chè Shan Gia Phú", "cooperative",
     "Thôn Lúc, xã Gia Phú", "970418", "8800123456", "HTX CHE SHAN GIA PHU"),
    ("Thái Nguyên", "Bằng Thành", "+84900000013", "+84911000003", "Hộ kinh doanh Lý Thị Mai", "household",
     "Bản Khuổi Khí, xã Bằng Thành (huyện Pác Nặm cũ)", "970446", "1200456789", "LY THI MAI"),
    ("Sơn La", "Mộc Châu", "+84900000014", "+84911000004", "HTX Chè Tân Lập Mộc Châu", "cooperative",
     "Tiểu khu 1, phường Mộc Châu", "970436", "0123456789012", "HTX CHE TAN LAP MOC CHAU"),
]


def _commune(province_name, commune_name):
    province = units.match_province(province_name)
    return province, units.match_commune(province.code, commune_name)


def demo_logins():
    """(role, phone, password, commune) rows for the README and the command output."""
    rows = [("admin", ADMIN_PHONE, DEMO_PASSWORD, "")]
    for province_name, commune_name, officer_phone, producer_phone, *_ in DEMO_COMMUNES:
        place = f"{commune_name}, {province_name}"
        rows.append(("officer", officer_phone, DEMO_PASSWORD, place))
        rows.append(("producer", producer_phone, DEMO_PASSWORD, place))
    return rows


def load_demo_data():
    """Create the demo rows; returns False when they already exist."""
    if db.session.scalar(db.select(User.id).filter_by(phone=ADMIN_PHONE)) is not None:
        return False
    account_services.create_user(ADMIN_PHONE, DEMO_PASSWORD, "Quản trị Chợ Quê", Role.ADMIN)
    for (province_name, commune_name, officer_phone, producer_phone, legal_name, kind,
         address, bank_bin, account, holder) in DEMO_COMMUNES:
        province, commune = _commune(province_name, commune_name)
        officer = account_services.create_user(officer_phone, DEMO_PASSWORD, f"Cán bộ xã {commune_name}",
                                               Role.OFFICER, [commune.code])
        owner = account_services.create_user(producer_phone, DEMO_PASSWORD, f"Chủ {legal_name}")
        producer = Producer(owner=owner, created_by=owner, kind=kind, legal_name=legal_name,
                            slug=slugify(legal_name), representative=owner.name,
                            province_code=province.code, commune_code=commune.code, address=address,
                            phone=producer_phone, zalo=producer_phone, status=ProducerStatus.VERIFIED,
                            wizard_step=5, verified_at=account_services.utcnow())
        producer.certificates.append(Certificate(
            decision_no="3981/QĐ-UBND", issuing_body=f"UBND tỉnh {province.short_name}",
            decision_date=date(2025, 3, 14), stars=4, product_set_code=11 if "Chè" in legal_name else 4,
            product_name=legal_name))
        producer.payment_accounts.append(PaymentAccount(
            version=1, bank_bin=bank_bin, account_number=account, holder_name=holder,
            status=PaymentAccount.APPROVED, created_by=owner, reviewed_by=officer,
            reviewed_at=account_services.utcnow()))
        db.session.add(producer)
    db.session.flush()
    return True


@demo_cli.command("load")
def load_command():
    """Load demo producers, officers and an admin (only once)."""
    created = load_demo_data()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
    click.echo("Demo log-ins (phone / password):")
    for role, phone, password, place in demo_logins():
        click.echo(f"  {role:<9} {phone}  {password}  {place}")
