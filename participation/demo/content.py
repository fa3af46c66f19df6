"""What the demo instance says: the Lampang working group, its seats, categories and proposals.

Organisations are the real bodies of the source meeting; every person is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from participation.accounts.models import Sector
from participation.comments.models import Stance
from participation.groups.models import SeatRole

EMAIL_DOMAIN = "demo.ruam.example"

GROUP_NAME_TH = (
    "คณะทำงานส่งเสริมการมีส่วนร่วมเพื่อการเป็นรัฐบาลเปิด (OGP) ระดับพื้นที่ จังหวัดลำปาง"
)
GROUP_NAME_EN = (
    "Lampang area-level working group to promote participation for open government (OGP)"
)
GROUP_DESCRIPTION = """\
คณะทำงานระดับจังหวัดที่รวมภาครัฐ ภาคประชาสังคม และภาคเอกชน เพื่อแก้ปัญหาฝุ่นละอองขนาดเล็ก (PM2.5) \
ของจังหวัดลำปางอย่างเปิดเผยและมีส่วนร่วม ภายใต้การนำร่องระบบนิเวศภาครัฐระบบเปิดและการมีส่วนร่วม\
อย่างมีความหมายของสำนักงาน ก.พ.ร.

**อำนาจหน้าที่**

1. กำหนดแนวทางและแผนการดำเนินงาน
2. ขับเคลื่อนการดำเนินงานให้เป็นไปตามแผน
3. สร้างและขยายเครือข่ายความร่วมมือ
4. ติดตามและประเมินผล
5. ปฏิบัติงานอื่นตามที่คณะอนุกรรมการที่เกี่ยวข้องมอบหมาย
"""


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name_th: str
    name_en: str
    sector: Sector


ORGANISATIONS = (
    OrganisationSpec("governor", "ผู้ว่าราชการจังหวัดลำปาง", "Governor of Lampang",
                     Sector.GOVERNMENT),
    OrganisationSpec("ogp", "คณะอนุกรรมการขับเคลื่อนการเป็นหุ้นส่วนรัฐบาลเปิด",
                     "National Open Government Partnership sub-committee", Sector.GOVERNMENT),
    OrganisationSpec("provincial", "สำนักงานจังหวัดลำปาง", "Lampang Provincial Office",
                     Sector.GOVERNMENT),
    OrganisationSpec("agriculture", "สำนักงานเกษตรและสหกรณ์จังหวัดลำปาง",
                     "Lampang Provincial Agriculture and Cooperatives Office", Sector.GOVERNMENT),
    OrganisationSpec("environment", "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปาง",
                     "Lampang Provincial Natural Resources and Environment Office",
                     Sector.GOVERNMENT),
    OrganisationSpec("disaster", "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดลำปาง",
                     "Lampang Provincial Disaster Prevention and Mitigation Office",
                     Sector.GOVERNMENT),
    OrganisationSpec("gistda", "สำนักงานพัฒนาเทคโนโลยีอวกาศและภูมิสารสนเทศ (องค์การมหาชน)",
                     "Geo-Informatics and Space Technology Development Agency (GISTDA)",
                     Sector.GOVERNMENT),
    OrganisationSpec("dga", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)",
                     "Digital Government Development Agency (DGA)", Sector.GOVERNMENT),
    OrganisationSpec("local", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดลำปาง",
                     "Lampang Provincial Office of Local Administration", Sector.GOVERNMENT),
    OrganisationSpec("regional", "สำนักงานสิ่งแวดล้อมภาคที่ 2 (ลำปาง)",
                     "Regional Environment Office 2 (Lampang)", Sector.GOVERNMENT),
    OrganisationSpec("industry", "สำนักงานอุตสาหกรรมจังหวัดลำปาง",
                     "Lampang Provincial Industry Office", Sector.GOVERNMENT),
    OrganisationSpec("civil", "เครือข่ายภาคประชาสังคมลำปางเพื่ออากาศสะอาด",
                     "Lampang Civil Society Network for Clean Air", Sector.CIVIL_SOCIETY),
    OrganisationSpec("chamber", "หอการค้าจังหวัดลำปาง", "Lampang Chamber of Commerce",
                     Sector.PRIVATE),
    OrganisationSpec("opdc", "สำนักงานคณะกรรมการพัฒนาระบบราชการ (สำนักงาน ก.พ.ร.)",
                     "Office of the Public Sector Development Commission (OPDC)",
                     Sector.GOVERNMENT),
    # Invented organisations of the participants outside the working group.
    OrganisationSpec("volunteers", "ชมรมอาสาสมัครเฝ้าระวังไฟป่าลำปาง",
                     "Lampang Forest-Fire Watch Volunteers Club", Sector.CIVIL_SOCIETY),
    OrganisationSpec("stoneworks", "ห้างหุ้นส่วนจำกัด ศิลาทองลำปาง",
                     "Silathong Lampang Stone Works", Sector.PRIVATE),
    OrganisationSpec("research", "ศูนย์ศึกษาสุขภาพและสิ่งแวดล้อมล้านนา",
                     "Lanna Centre for Health and Environment Studies", Sector.ACADEMIA),
)


@dataclass(frozen=True)
class PersonSpec:
    """An invented person; `seat` is the role they hold in the working group, if any."""

    key: str
    email: str
    display_name: str
    sector: Sector
    organisation: str | None
    # i18n: not translated; the demo command prints these in English for the operator.
    role: str
    seat: SeatRole | None = None
    voting: bool = True
    language: str = "th"  # of their e-mails, chosen when they register


PEOPLE = (
    PersonSpec("chair", "chair", "นายวรเชษฐ์ อินทรสุวรรณ", Sector.GOVERNMENT, "governor",
               "Chair (governor's office seat)", SeatRole.CHAIR),
    PersonSpec("vice_chair", "vice-chair", "นางรัตนาภรณ์ ศิริมงคลกุล", Sector.GOVERNMENT, "ogp",
               "Vice-chair", SeatRole.VICE_CHAIR),
    PersonSpec("provincial", "member.provincial", "นายสุรเชษฐ์ คำแปง", Sector.GOVERNMENT,
               "provincial", "Member: Lampang Provincial Office", SeatRole.MEMBER),
    PersonSpec("agriculture", "member.agriculture", "นางสาวอรอุมา ปัญญาวงค์", Sector.GOVERNMENT,
               "agriculture", "Member: Agriculture and Cooperatives", SeatRole.MEMBER),
    PersonSpec("environment", "member.environment", "นายกิตติพงษ์ แสนคำ", Sector.GOVERNMENT,
               "environment", "Member: Natural Resources and Environment", SeatRole.MEMBER),
    PersonSpec("disaster", "member.disaster", "นายชยพล ธิติวงศ์", Sector.GOVERNMENT, "disaster",
               "Member: Disaster Prevention and Mitigation", SeatRole.MEMBER),
    PersonSpec("gistda", "member.gistda", "นางสาวณัฐวดี พรหมวิเศษ", Sector.GOVERNMENT, "gistda",
               "Member: GISTDA", SeatRole.MEMBER),
    PersonSpec("dga", "member.dga", "นายภูมิพัฒน์ เรืองศรี", Sector.GOVERNMENT, "dga",
               "Member: DGA", SeatRole.MEMBER),
    PersonSpec("local", "member.local", "นางจันทร์เพ็ญ บุญทา", Sector.GOVERNMENT, "local",
               "Member: Local Administration", SeatRole.MEMBER),
    PersonSpec("regional", "member.regional", "นายเอกชัย วงศ์สุภา", Sector.GOVERNMENT, "regional",
               "Member: Regional Environment Office 2", SeatRole.MEMBER),
    PersonSpec("industry", "member.industry", "นายณรงค์ฤทธิ์ ต๊ะปัญญา", Sector.GOVERNMENT,
               "industry", "Member: Provincial Industry Office", SeatRole.MEMBER),
    PersonSpec("civil", "member.civil-society", "นางสาวลำดวน ใจมา", Sector.CIVIL_SOCIETY, "civil",
               "Member: civil-society representative", SeatRole.MEMBER),
    PersonSpec("private", "member.private", "นายธีรวัฒน์ อุ่นเรือน", Sector.PRIVATE, "chamber",
               "Member: private-sector representative", SeatRole.MEMBER),
    PersonSpec("secretary", "secretary", "นางสาวปิยนุช ทองประเสริฐ", Sector.GOVERNMENT, "opdc",
               "Secretary (OPDC)", SeatRole.SECRETARY, voting=False),
    PersonSpec("assistant1", "assistant1", "นายอภิวัฒน์ จันทร์หอม", Sector.GOVERNMENT, "opdc",
               "Assistant secretary (OPDC)", SeatRole.ASSISTANT_SECRETARY, voting=False),
    PersonSpec("assistant2", "assistant2", "นางสาวสุพิชชา แก้วประเสริฐ", Sector.GOVERNMENT, "opdc",
               "Assistant secretary (OPDC)", SeatRole.ASSISTANT_SECRETARY, voting=False),
    PersonSpec("agency", "agency.environment", "นางสาวเกศินี ปันทะ", Sector.GOVERNMENT,
               "environment", "Agency contact of the lead agency (Natural Resources and "
               "Environment)"),
    PersonSpec("deputy", "deputy.provincial", "นางสาวธิดารัตน์ ศรีวิชัย", Sector.GOVERNMENT,
               "provincial", "Deputy of the Lampang Provincial Office seat"),
    PersonSpec("admin", "admin", "นายศักดิ์ชัย มั่นคง", Sector.GOVERNMENT, None, "Administrator"),
    PersonSpec("citizen1", "citizen1", "นางสาวพิมพ์ชนก ใจคำ", Sector.CITIZEN, None,
               "Citizen (Mae Moh)"),
    PersonSpec("citizen2", "citizen2", "นายอนุชา แก้วมูล", Sector.CITIZEN, None,
               "Citizen (teacher, Mueang Lampang)", language="en"),
    PersonSpec("citizen3", "citizen3", "นางบัวผัน ดวงแก้ว", Sector.CITIZEN, None,
               "Citizen (farmer, Ngao)"),
    PersonSpec("volunteer", "volunteer", "นายธนากร วงศ์ปัญญา", Sector.CIVIL_SOCIETY, "volunteers",
               "Civil society (forest-fire volunteers)"),
    PersonSpec("business", "business", "นางสาวกมลวรรณ สุขเกษม", Sector.PRIVATE, "stoneworks",
               "Business (stone works)"),
    PersonSpec("researcher", "researcher", "นางวิภาวดี ทองสุข", Sector.ACADEMIA, "research",
               "Academia (health and environment research)", language="en"),
    # Moderation lane A1: the site's moderator, and an account that posts an advert.
    PersonSpec("moderator", "moderator", "นางสาวศศิธร คำภีระ", Sector.CITIZEN, None,
               "Moderator (reports and hidden contributions)"),
    PersonSpec("advertiser", "advertiser", "ฟอกอากาศราคาส่ง ลำปาง", Sector.PRIVATE, None,
               "Advertiser (a comment hidden as spam)"),
)

# The twelve lines of action of the Cabinet's special plan (23 November 2020).
CATEGORIES = (
    ("การสื่อสารสาธารณะ", "Public communication"),
    ("คณะอนุกรรมการแก้ไขปัญหาไฟป่าและหมอกควัน", "Forest-fire and haze sub-committee"),
    ("การบริหารจัดการเชื้อเพลิงในพื้นที่ป่า", "Fuel management in forests"),
    ("เครือข่ายอาสาสมัคร", "Volunteer networks"),
    ("การฟื้นฟูป่าและป้องกันไฟป่า", "Reforestation and fire prevention"),
    ("การถ่ายโอนภารกิจควบคุมไฟป่าให้องค์กรปกครองส่วนท้องถิ่น",
     "Transfer of fire control to local government"),
    ("การพยากรณ์ฝุ่นล่วงหน้า 3 วันเพื่อแจ้งเตือนประชาชน", "3-day dust forecasts to warn people"),
    ("การใช้ภาพถ่ายดาวเทียมรายงานสถานการณ์ฝุ่นรายพื้นที่", "Satellite images to report dust by area"),
    ("ระบบพยากรณ์และสนับสนุนการตัดสินใจ และแอปพลิเคชันบัญชาการดับไฟ",
     "Forecasting, decision support and a fire-command app"),
    ("แอปพลิเคชันลงทะเบียนขออนุญาตเผาเพื่อบริหารจัดการเชื้อเพลิง",
     "Burn-registration app for fuel management"),
    ("ประชาชนร่วมดูแลป่าโดยการจัดสรรที่ดินทำกิน", "People caring for forests with land allocation"),
    ("ความร่วมมือกับประเทศเพื่อนบ้าน", "Cooperation with neighbouring countries"),
)


@dataclass(frozen=True)
class CommentSpec:
    author: str
    stance: Stance | None
    body: str
    replies: tuple[CommentSpec, ...] = ()


@dataclass(frozen=True)
class AnswerSpec:
    """The official answer to a proposal, given `days_ago` by `by` (a person's key)."""

    days_ago: int
    by: str
    state: str  # an AnswerState value
    body: str
    referred_to: str | None = None  # an organisation's key, when referred


@dataclass(frozen=True)
class ProposalSpec:
    key: str
    author: str
    category: int  # index into CATEGORIES
    title: str
    body: str
    opened_days_ago: int
    supporters: tuple[str, ...]
    comments: tuple[CommentSpec, ...] = field(default=())
    # The organisation's key of the agency responsible for the answer (None: the secretariat).
    agency: str | None = None
    answer: AnswerSpec | None = None
    # People who follow it from the hour it opens, so they are told of what happens next.
    followers: tuple[str, ...] = ()


PROPOSALS = (
    ProposalSpec(
        key="open_data",
        author="volunteer",
        category=0,
        title="เปิดเผยข้อมูลฝุ่น PM2.5 รายพื้นที่ พร้อมแหล่งกำเนิดและสาเหตุ เพื่อสร้างความตระหนักรู้",
        body="""\
ปัจจุบันข้อมูลฝุ่นละอองขนาดเล็ก (PM2.5) ของจังหวัดลำปางกระจายอยู่หลายหน่วยงาน ทั้งค่าจากสถานีตรวจวัด\
คุณภาพอากาศ ข้อมูลจุดความร้อนจากดาวเทียม และรายงานการเผาในพื้นที่เกษตร ประชาชนส่วนใหญ่เห็นเพียงตัวเลข\
รายวันจากแอปพลิเคชัน แต่ไม่รู้ว่าฝุ่นในอำเภอของตนมาจากแหล่งใด และหน่วยงานใดกำลังดำเนินการอยู่ที่ไหน

ข้อเสนอนี้ขอให้คณะทำงานผลักดันให้หน่วยงานในจังหวัดเปิดเผยข้อมูลต่อไปนี้เป็น **ข้อมูลเปิด** \
ที่ทุกคนนำไปใช้ต่อได้โดยไม่มีค่าใช้จ่าย

- ค่า PM2.5 เฉลี่ย 24 ชั่วโมงรายสถานี (สถานี 37t, 38t, 39t และ 40t) ย้อนหลังอย่างน้อย 3 ปี
- พื้นที่ปฏิบัติการของแต่ละหน่วยงาน และจุดที่ควบคุมไฟหรือจัดการเชื้อเพลิงแล้ว
- สาเหตุและแหล่งกำเนิดของฝุ่นที่ตรวจพบ เช่น การเผาในที่โล่ง ไฟป่า การจราจร และกิจการอุตสาหกรรม

ข้อมูลควรเผยแพร่ในรูปแบบที่เครื่องอ่านได้ (เช่น CSV) พร้อมคำอธิบายที่ประชาชนทั่วไปเข้าใจ และปรับปรุง\
อย่างน้อยวันละครั้งในช่วงฤดูฝุ่น (มกราคม–เมษายน) เมื่อประชาชนเห็นภาพเดียวกับหน่วยงาน \
จะช่วยกันเฝ้าระวังและลดการเผาได้จริง
""",
        opened_days_ago=270,
        agency="environment",
        followers=("citizen1",),
        answer=AnswerSpec(
            days_ago=262, by="agency", state="accepted",
            body="สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปางรับข้อเสนอไว้พิจารณา และจะเสนอ"
                 "คณะทำงานให้เริ่มเปิดเผยค่า PM2.5 รายสถานีและจุดความร้อนรายวันก่อน ส่วนข้อมูล"
                 "แหล่งกำเนิดและสาเหตุจะเปิดเผยเฉพาะที่ผ่านการตรวจสอบแล้ว",
        ),
        supporters=("citizen1", "citizen2", "citizen3", "researcher", "business", "civil",
                    "gistda", "dga", "regional"),
        comments=(
            CommentSpec(
                "citizen1", Stance.FOR,
                "เห็นด้วยอย่างยิ่งค่ะ บ้านอยู่แม่เมาะ อยากรู้ว่าฝุ่นช่วงเช้ามาจากไหนกันแน่ "
                "ถ้ามีข้อมูลรายสถานีย้อนหลังจะช่วยให้โรงเรียนและชุมชนวางแผนกิจกรรมกลางแจ้ง"
                "ของเด็ก ๆ ได้",
            ),
            CommentSpec(
                "researcher", Stance.NEUTRAL,
                "ขอเสนอเพิ่มเติมว่าควรเผยแพร่ข้อมูลพร้อมคำอธิบายข้อมูล (metadata) ที่บอกวิธีตรวจวัด "
                "ช่วงเวลาเฉลี่ย และข้อจำกัดของข้อมูล เพื่อป้องกันการตีความผิด เช่น ค่าเฉลี่ย "
                "24 ชั่วโมงกับค่ารายชั่วโมงไม่ควรนำมาเทียบกันโดยตรง",
                replies=(
                    CommentSpec(
                        "volunteer", None,
                        "ขอบคุณครับ เห็นด้วยว่าควรมีคำอธิบายข้อมูลแนบทุกชุด "
                        "จะเสนอเรื่องนี้ต่อคณะทำงานเพิ่มเติมครับ",
                    ),
                ),
            ),
            CommentSpec(
                "business", Stance.NEUTRAL,
                "กังวลเรื่องการระบุแหล่งกำเนิดเป็นรายกิจการค่ะ หากข้อมูลยังไม่ผ่านการตรวจสอบ "
                "อาจกระทบผู้ประกอบการที่ปฏิบัติตามกฎหมาย ควรเปิดเผยเฉพาะข้อมูลที่ยืนยันแล้ว",
            ),
        ),
    ),
    ProposalSpec(
        key="impact",
        author="researcher",
        category=0,
        title="เผยแพร่ผลกระทบของฝุ่นต่อเศรษฐกิจ สุขภาพ และรายได้จากการท่องเที่ยวของจังหวัด",
        body="""\
ทุกปีในช่วงฤดูแล้ง ค่าฝุ่น PM2.5 ในลำปางเกินมาตรฐาน 37.5 ไมโครกรัมต่อลูกบาศก์เมตรติดต่อกันหลายสัปดาห์ \
แต่การสื่อสารส่วนใหญ่ยังเน้นที่ค่าฝุ่นรายวัน ทำให้ผู้คนมองไม่เห็นต้นทุนที่จังหวัดต้องจ่ายจริง

ขอเสนอให้รวบรวมและเผยแพร่ข้อมูลผลกระทบเป็นรายเดือน ได้แก่

1. จำนวนผู้ป่วยโรคระบบทางเดินหายใจ โรคหัวใจและหลอดเลือด และโรคตาอักเสบ ที่เข้ารับบริการ\
ในสถานพยาบาลของรัฐ เทียบกับช่วงที่ไม่มีฝุ่น
2. จำนวนนักท่องเที่ยวและรายได้จากการท่องเที่ยวในช่วงฤดูฝุ่น เทียบกับปีก่อน ๆ
3. ผลกระทบต่อผลผลิตทางการเกษตรและการค้าขายในพื้นที่

เมื่อประชาชนและผู้ประกอบการเห็นตัวเลขความเสียหายที่เป็นรูปธรรม จะเกิดแรงสนับสนุนให้ทุกภาคส่วน\
ร่วมลงมือแก้ไข และช่วยให้คณะทำงานจัดลำดับความสำคัญของมาตรการได้ตรงจุด
""",
        opened_days_ago=260,
        answer=AnswerSpec(
            days_ago=252, by="secretary", state="accepted",
            body="ฝ่ายเลขานุการรับข้อเสนอไว้พิจารณา และจะขอข้อมูลผลกระทบรายเดือนจากสำนักงาน"
                 "สาธารณสุขจังหวัดและสำนักงานการท่องเที่ยวและกีฬาจังหวัด เพื่อนำเข้าหารือในการประชุม"
                 "คณะทำงานครั้งถัดไป",
        ),
        supporters=("citizen2", "citizen1", "volunteer", "civil"),
        comments=(
            CommentSpec(
                "citizen2", Stance.FOR,
                "ในฐานะครู เห็นนักเรียนป่วยเป็นหวัดและภูมิแพ้บ่อยมากในช่วงกุมภาพันธ์ถึงมีนาคม "
                "ถ้ามีตัวเลขจากโรงพยาบาลจะช่วยให้ผู้ปกครองเข้าใจความรุนแรงของปัญหาครับ",
            ),
            CommentSpec(
                "private", Stance.AGAINST,
                "ไม่เห็นด้วยกับการเผยแพร่ตัวเลขรายได้ท่องเที่ยวที่ลดลงเป็นรายเดือนโดยลำพัง "
                "เพราะอาจทำให้นักท่องเที่ยวไม่กล้ามาลำปางยิ่งขึ้น ควรสื่อสารควบคู่กับมาตรการ"
                "ที่จังหวัดกำลังดำเนินการอยู่",
            ),
        ),
    ),
    ProposalSpec(
        key="burn_data",
        author="disaster",
        category=9,
        title="จัดทำระบบข้อมูลจำนวนการเผารายเดือนและสาเหตุของการเผา",
        body="""\
จังหวัดยังไม่มีฐานข้อมูลกลางที่บอกได้ว่าในแต่ละเดือนมีการเผากี่ครั้ง เกิดขึ้นที่ไหน และเพราะอะไร \
ข้อมูลจุดความร้อนจากดาวเทียมบอกได้เพียงตำแหน่ง แต่ไม่บอกสาเหตุ ส่วนรายงานของอำเภอและองค์กรปกครอง\
ส่วนท้องถิ่นยังเป็นเอกสารที่รวบรวมด้วยมือ

ขอเสนอให้จัดทำระบบบันทึกข้อมูลการเผาที่ใช้ร่วมกันทุกหน่วยงาน โดยมีข้อมูลอย่างน้อย ได้แก่ วันที่ \
ตำบลและอำเภอ ประเภทพื้นที่ (ป่า พื้นที่เกษตร ริมทาง ชุมชน) สาเหตุ (เตรียมพื้นที่เพาะปลูก หาของป่า \
เผาขยะ อุบัติเหตุ ฯลฯ) และการดำเนินการของเจ้าหน้าที่

ระบบนี้ควรเชื่อมกับข้อมูลจุดความร้อนจาก GISTDA และแอปพลิเคชันลงทะเบียนขออนุญาตเผา \
เพื่อให้ตรวจสอบย้อนกลับได้ว่าจุดใดเป็นการเผาที่ได้รับอนุญาต และสรุปผลเป็นรายเดือนให้คณะทำงาน\
ใช้วางแผนการจัดการเชื้อเพลิงในปีถัดไป
""",
        opened_days_ago=250,
        agency="disaster",
        answer=AnswerSpec(
            days_ago=243, by="secretary", state="accepted",
            body="รับไว้พิจารณา โดยขอให้สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดลำปางจัดทำร่าง"
                 "รูปแบบข้อมูลการเผาร่วมกับสำนักงานเกษตรและสหกรณ์จังหวัดและ GISTDA "
                 "แล้วเสนอคณะทำงาน",
        ),
        supporters=("volunteer", "citizen3", "researcher", "agriculture", "local"),
        comments=(
            CommentSpec(
                "agriculture", Stance.FOR,
                "สำนักงานเกษตรและสหกรณ์จังหวัดมีข้อมูลทะเบียนเกษตรกรและพื้นที่เพาะปลูกรายแปลง "
                "สามารถเชื่อมโยงเพื่อช่วยระบุสาเหตุการเผาในพื้นที่เกษตรได้ค่ะ",
            ),
        ),
    ),
    ProposalSpec(
        key="technology",
        author="business",
        category=8,
        title="นำนวัตกรรมและเทคโนโลยีมาใช้ลดฝุ่น: แอปแจ้งค่าฝุ่น แอปไฟป่า สเปรย์ลดฝุ่น และเครื่องดักฝุ่น",
        body="""\
ลำปางมีทั้งฝุ่นจากการเผาและฝุ่นจากกิจการในพื้นที่ เช่น โรงโม่และโรงตัดหิน ข้อเสนอนี้ขอให้ใช้\
เทคโนโลยีที่มีอยู่แล้วและราคาไม่สูงมาช่วยใน 4 เรื่อง

**1. แอปแจ้งค่าฝุ่นรายวัน** แสดงค่าจากสถานีใกล้บ้านเป็นภาษาไทยที่เข้าใจง่าย พร้อมคำแนะนำ\
การปฏิบัติตัวตามระดับคุณภาพอากาศ และแจ้งเตือนล่วงหน้าเมื่อคาดว่าค่าฝุ่นจะสูง

**2. แอปแจ้งเหตุไฟป่า** ให้อาสาสมัครและประชาชนส่งตำแหน่งและภาพถ่ายจุดไฟได้ทันที \
และให้ศูนย์บัญชาการเห็นทีมที่อยู่ใกล้ที่สุด

**3. สเปรย์ละอองน้ำลดฝุ่น** ในจุดที่มีคนหนาแน่น เช่น หน้าโรงเรียนและตลาด ในวันที่ค่าฝุ่นสูง

**4. เครื่องดักฝุ่นสำหรับเครื่องตัดหิน** โดยจังหวัดช่วยประสานแหล่งทุนหรือสินเชื่อดอกเบี้ยต่ำ\
ให้ผู้ประกอบการรายย่อยติดตั้งระบบพ่นน้ำและดักฝุ่น

ขอให้เริ่มจากโครงการนำร่องในอำเภอเมืองลำปางและอำเภอแม่เมาะ แล้ววัดผลก่อนขยายทั้งจังหวัด
""",
        opened_days_ago=240,
        answer=AnswerSpec(
            days_ago=228, by="secretary", state="referred", referred_to="dga",
            body="แอปพลิเคชันแจ้งค่าฝุ่นและแจ้งเหตุไฟป่าอยู่ในภารกิจของสำนักงานพัฒนารัฐบาลดิจิทัล "
                 "จึงส่งต่อให้ สพร. พิจารณาโดยใช้ข้อมูลเปิดของจังหวัด ส่วนสเปรย์ละอองน้ำและ"
                 "เครื่องดักฝุ่นสำหรับเครื่องตัดหิน คณะทำงานจะหารือต่อไป",
        ),
        supporters=("volunteer", "citizen1", "citizen2", "private", "dga", "gistda", "industry"),
        comments=(
            CommentSpec(
                "volunteer", Stance.FOR,
                "แอปแจ้งเหตุไฟป่าจะช่วยอาสาสมัครได้มากครับ ตอนนี้เราใช้กลุ่มแชตส่งพิกัดกัน "
                "ข้อมูลกระจัดกระจายและติดตามงานยาก",
            ),
            CommentSpec(
                "citizen3", Stance.NEUTRAL,
                "สเปรย์ละอองน้ำช่วยได้เฉพาะจุดและใช้น้ำมาก หน้าแล้งชาวบ้านก็ขาดน้ำอยู่แล้ว "
                "ควรศึกษาความคุ้มค่าก่อนติดตั้งค่ะ",
                replies=(
                    CommentSpec(
                        "business", None,
                        "ขอบคุณค่ะ เห็นด้วยว่าควรนำร่องเฉพาะจุดที่มีเด็กและผู้สูงอายุหนาแน่นก่อน "
                        "และใช้น้ำที่ผ่านการบำบัดแล้ว",
                    ),
                ),
            ),
        ),
    ),
    ProposalSpec(
        key="integration",
        author="citizen2",
        category=1,
        title="บูรณาการทุกภาคส่วนผ่านคณะทำงานร่วมของภาครัฐ เอกชน ประชาชน และองค์กรต่าง ๆ",
        body="""\
การแก้ปัญหาฝุ่นที่ผ่านมาแยกกันทำตามภารกิจของแต่ละหน่วยงาน ภาคเอกชนและประชาชนมักได้รับแจ้ง\
เมื่อมีการตัดสินใจไปแล้ว จึงขอเสนอให้ตั้งคณะทำงานที่มีผู้แทนจากภาครัฐ ภาคเอกชน ภาคประชาสังคม \
ภาควิชาการ และประชาชนในพื้นที่เสี่ยง

คณะทำงานควรประชุมอย่างน้อยเดือนละครั้งในช่วงฤดูฝุ่น เปิดเผยวาระและรายงานการประชุมต่อสาธารณะ \
และรับข้อเสนอจากประชาชนผ่านช่องทางออนไลน์ที่ไม่มีค่าใช้จ่าย
""",
        opened_days_ago=235,
        supporters=("citizen1",),
    ),
    ProposalSpec(
        key="enforcement",
        author="civil",
        category=1,
        title="บังคับใช้ พ.ร.บ.ส่งเสริมและรักษาคุณภาพสิ่งแวดล้อมแห่งชาติ และ พ.ร.บ.โรงงาน พ.ศ. 2535 อย่างเคร่งครัด",
        body="""\
แม้จะมีกฎหมายที่ให้อำนาจเจ้าหน้าที่ควบคุมแหล่งกำเนิดมลพิษอยู่แล้ว แต่การบังคับใช้ยังไม่สม่ำเสมอ \
ผู้ฝ่าฝืนจำนวนมากไม่ถูกดำเนินการ ทำให้ผู้ที่ปฏิบัติตามกฎหมายรู้สึกไม่เป็นธรรม

ขอเสนอให้หน่วยงานที่เกี่ยวข้องบังคับใช้ **พระราชบัญญัติส่งเสริมและรักษาคุณภาพสิ่งแวดล้อมแห่งชาติ \
พ.ศ. 2535** และ **พระราชบัญญัติโรงงาน พ.ศ. 2535** อย่างเคร่งครัด โดยเฉพาะ

- ตรวจสอบโรงงานและกิจการที่ก่อให้เกิดฝุ่นเป็นพิเศษในช่วงเดือนมกราคมถึงเมษายน
- ดำเนินการกับการเผาในที่โล่งในพื้นที่และช่วงเวลาที่ประกาศห้ามเผา
- เปิดเผยจำนวนการตรวจ จำนวนการฝ่าฝืน และผลการดำเนินการเป็นรายเดือน

การเปิดเผยผลการบังคับใช้กฎหมายจะทำให้ประชาชนมั่นใจว่ากฎหมายใช้กับทุกคนอย่างเท่าเทียม
""",
        opened_days_ago=220,
        agency="industry",
        # Answered a week after its deadline.
        answer=AnswerSpec(
            days_ago=183, by="secretary", state="accepted",
            body="ขออภัยที่ตอบล่าช้า เนื่องจากต้องรอผลการตรวจโรงงานในปีที่ผ่านมาจากสำนักงาน"
                 "อุตสาหกรรมจังหวัด คณะทำงานรับข้อเสนอไว้พิจารณา และจะนำเข้าวาระการประชุม"
                 "พร้อมจำนวนการตรวจและการฝ่าฝืน",
        ),
        supporters=("citizen1", "citizen2", "researcher"),
        comments=(
            CommentSpec(
                "citizen3", Stance.AGAINST,
                "ถ้าบังคับใช้กฎหมายอย่างเดียว เกษตรกรรายย่อยจะเดือดร้อนที่สุด เพราะไม่มีเงิน"
                "จ้างรถไถกลบหรือเครื่องอัดฟาง ควรมีทางเลือกให้ก่อนค่ะ",
            ),
            CommentSpec(
                "citizen1", Stance.FOR,
                "เห็นด้วยค่ะ และขอให้เปิดเผยผลการตรวจโรงงานในอำเภอแม่เมาะให้ชาวบ้านทราบด้วย",
            ),
        ),
    ),
    ProposalSpec(
        key="incentives",
        author="citizen3",
        category=4,
        title="สร้างแรงจูงใจเชิงบวก: ลดภาษีอุปกรณ์ลดฝุ่นที่นำเข้า และมอบรางวัลหมู่บ้านปลอดการเผา",
        body="""\
มาตรการห้ามเผาเพียงอย่างเดียวทำให้เกษตรกรบางส่วนรู้สึกว่าถูกบังคับโดยไม่มีทางเลือก ข้อเสนอนี้\
ต้องการเพิ่มแรงจูงใจเชิงบวกควบคู่กับการบังคับใช้กฎหมาย

1. **ลดหย่อนภาษีสำหรับอุปกรณ์ลดฝุ่นที่นำเข้า** เช่น เครื่องดักฝุ่น เครื่องอัดฟางและเศษวัสดุ\
การเกษตร เพื่อให้ผู้ประกอบการและกลุ่มเกษตรกรเข้าถึงได้ในราคาที่เหมาะสม
2. **มอบรางวัลหมู่บ้านปลอดการเผา** ทุกปี โดยใช้ข้อมูลจุดความร้อนจากดาวเทียมประกอบการพิจารณา\
อย่างโปร่งใส รางวัลอาจเป็นงบพัฒนาหมู่บ้าน หรือสิทธิในการเข้าถึงโครงการของรัฐ

ควรประกาศเกณฑ์และรายชื่อหมู่บ้านที่ได้รับรางวัลต่อสาธารณะ เพื่อให้ชุมชนอื่นเห็นตัวอย่างและอยากเข้าร่วม
""",
        opened_days_ago=200,
        agency="agriculture",
        answer=AnswerSpec(
            days_ago=186, by="secretary", state="accepted",
            body="รับไว้พิจารณา เกณฑ์รางวัลหมู่บ้านปลอดการเผาจะกำหนดร่วมกับสำนักงานส่งเสริม"
                 "การปกครองท้องถิ่นจังหวัดโดยใช้ข้อมูลจุดความร้อนประกอบ ส่วนการลดหย่อนภาษีอุปกรณ์"
                 "นำเข้าเป็นอำนาจของส่วนกลาง คณะทำงานจะรวบรวมเสนอต่อไป",
        ),
        supporters=("volunteer", "citizen1", "business", "agriculture", "local", "private"),
        comments=(
            CommentSpec(
                "volunteer", Stance.FOR,
                "รางวัลหมู่บ้านปลอดการเผาเป็นแนวคิดที่ดีครับ แต่ควรตรวจสอบด้วยข้อมูลจุดความร้อน"
                "ร่วมกับการลงพื้นที่ เพราะจุดความร้อนบางจุดไม่ได้เกิดจากการเผา",
            ),
        ),
    ),
    ProposalSpec(
        key="law_review",
        author="local",
        category=5,
        title="ทบทวนกฎหมายและระเบียบ: เร่งถ่ายโอนภารกิจควบคุมไฟป่าให้ อปท. และกำหนดตัวชี้วัดร่วม",
        body="""\
องค์กรปกครองส่วนท้องถิ่น (อปท.) อยู่ใกล้พื้นที่และรู้จักชุมชนดีที่สุด แต่ภารกิจควบคุมไฟป่ายังไม่ได้\
ถ่ายโอนอย่างครบถ้วน ทั้งอำนาจหน้าที่ งบประมาณ และบุคลากร ทำให้การดับไฟในช่วงวิกฤตล่าช้า

ขอเสนอให้คณะทำงานรวบรวมปัญหาข้อกฎหมายและระเบียบที่เป็นอุปสรรค แล้วเสนอต่อหน่วยงานส่วนกลางเพื่อ

- เร่งถ่ายโอนภารกิจควบคุมไฟป่าให้ อปท. พร้อมงบประมาณและการฝึกอบรม
- กำหนด **ตัวชี้วัดร่วม** ของหน่วยงานที่วัดผลลัพธ์และผลกระทบจริง เช่น จำนวนวันที่ค่าฝุ่นเกินมาตรฐาน \
และจำนวนจุดความร้อน แทนการนับเพียงจำนวนกิจกรรมหรือจำนวนครั้งที่ออกปฏิบัติงาน

ตัวชี้วัดร่วมควรมีค่าฐาน ค่าเป้าหมาย และรายงานผลต่อสาธารณะทุกไตรมาส
""",
        opened_days_ago=180,
        agency="local",
        supporters=("researcher", "volunteer", "civil", "disaster"),
        comments=(
            CommentSpec(
                "researcher", Stance.FOR,
                "ตัวชี้วัดร่วมที่วัดผลลัพธ์เป็นเรื่องสำคัญมากค่ะ ขอให้กำหนดวิธีเก็บข้อมูลที่บุคคล"
                "ภายนอกตรวจสอบซ้ำได้ด้วย",
            ),
        ),
    ),
)

# Opened a week before `now`: its answer is not due yet.
RECENT_PROPOSAL = ProposalSpec(
    key="clean_rooms",
    author="citizen2",
    category=0,
    title="จัดห้องเรียนปลอดฝุ่นในโรงเรียนและศูนย์พัฒนาเด็กเล็กทุกอำเภอก่อนฤดูฝุ่น",
    body="""\
เด็กเล็กและนักเรียนอยู่ที่โรงเรียนวันละ 7–8 ชั่วโมง แต่ห้องเรียนส่วนใหญ่ในลำปางเป็นห้องเปิดโล่ง \
ในวันที่ค่าฝุ่นสูง โรงเรียนทำได้เพียงงดกิจกรรมกลางแจ้งหรือปิดเรียน ซึ่งกระทบทั้งการเรียนของเด็ก\
และภาระของผู้ปกครอง

ขอเสนอให้จังหวัดร่วมกับองค์กรปกครองส่วนท้องถิ่นจัด **ห้องเรียนปลอดฝุ่น** อย่างน้อย 1 ห้อง\
ในโรงเรียนและศูนย์พัฒนาเด็กเล็กทุกแห่งก่อนฤดูฝุ่นที่จะถึง โดย

- ปิดช่องลมและติดตั้งเครื่องฟอกอากาศที่มีขนาดเหมาะกับห้อง
- ติดเครื่องวัดฝุ่นราคาประหยัดทั้งในและนอกห้อง และแสดงค่าให้ครูและผู้ปกครองเห็น
- เปิดเผยรายชื่อสถานศึกษาที่มีห้องเรียนปลอดฝุ่นแล้ว และที่ยังรอการสนับสนุน
""",
    opened_days_ago=8,
    # The author (who reads e-mail in English) and a supporter follow it.
    followers=("citizen2", "citizen3"),
    supporters=("citizen1", "citizen3", "researcher", "volunteer", "local", "civil"),
    comments=(
        CommentSpec(
            "researcher", Stance.FOR,
            "ควรกำหนดเกณฑ์ขั้นต่ำของห้องเรียนปลอดฝุ่น เช่น ค่า PM2.5 ในห้องไม่เกิน 15 ไมโครกรัม"
            "ต่อลูกบาศก์เมตรในวันที่ค่าภายนอกสูง และตรวจวัดจริงหลังติดตั้งค่ะ",
        ),
        CommentSpec(
            "business", Stance.NEUTRAL,
            "ผู้ประกอบการในพื้นที่ยินดีร่วมสนับสนุนเครื่องฟอกอากาศ ขอให้มีช่องทางรับบริจาค"
            "และรายงานการใช้เงินที่โปร่งใสค่ะ",
        ),
    ),
    agency="local",
)

# Added by the author of "integration" before withdrawing it.
INTEGRATION_NOTE = """

**หมายเหตุจากผู้เสนอ:** จังหวัดได้แต่งตั้งคณะทำงานส่งเสริมการมีส่วนร่วมเพื่อการเป็นรัฐบาลเปิด\
ระดับพื้นที่ซึ่งมีผู้แทนทุกภาคส่วนแล้ว ข้อเสนอนี้จึงได้รับการตอบสนองและผู้เสนอขอถอนข้อเสนอ
"""

RESOLUTION = """\
ที่ประชุมมีมติเห็นชอบให้เปิดเผยข้อมูลฝุ่นละอองขนาดเล็ก (PM2.5) รายพื้นที่ของจังหวัดลำปางเป็นข้อมูลเปิด \
ได้แก่ ค่าเฉลี่ย 24 ชั่วโมงรายสถานีย้อนหลัง 3 ปี จุดความร้อนรายวัน พื้นที่ปฏิบัติการของหน่วยงาน \
และสาเหตุการเผาที่ได้รับการยืนยันแล้ว โดยมอบหมายให้สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปาง\
เป็นหน่วยงานรับผิดชอบหลัก ร่วมกับ GISTDA สำนักงานพัฒนารัฐบาลดิจิทัล สำนักงานสิ่งแวดล้อมภาคที่ 2 \
และสำนักงานจังหวัดลำปาง และให้รายงานความคืบหน้าต่อคณะทำงานผ่านระบบนี้ทุกเดือน \
ทั้งนี้ ให้แนบคำอธิบายข้อมูลกับทุกชุดข้อมูล และเปิดเผยแหล่งกำเนิดเฉพาะที่ผ่านการตรวจสอบแล้ว
"""

COMMITMENT_TITLE = "เปิดข้อมูลฝุ่น PM2.5 รายพื้นที่ของจังหวัดลำปางเป็นข้อมูลเปิด"
COMMITMENT_DESCRIPTION = """\
**ปัญหาสาธารณะ:** ข้อมูลฝุ่น PM2.5 จุดความร้อน และสาเหตุการเผาของจังหวัดลำปางกระจายอยู่หลายหน่วยงาน \
ประชาชนเข้าถึงได้เพียงค่าฝุ่นรายวัน (ค่าฐาน: ยังไม่มีชุดข้อมูลเปิดด้านฝุ่นของจังหวัด)

**สิ่งที่จะดำเนินการ:** เผยแพร่ค่า PM2.5 รายสถานีย้อนหลัง 3 ปี จุดความร้อนรายวัน พื้นที่ปฏิบัติการ\
ของหน่วยงาน และสาเหตุการเผาที่ยืนยันแล้ว ในรูปแบบที่เครื่องอ่านได้ พร้อมแดชบอร์ดรายอำเภอ

**ความเกี่ยวข้องกับหลักการ:** ความโปร่งใส (ข้อมูลเปิด) การมีส่วนร่วม (ประชาชนใช้ข้อมูลเฝ้าระวังร่วมกัน) \
และความรับผิดชอบ (รายงานความคืบหน้าทุกเดือน)
"""
COMMITMENT_SUPPORTERS = ("gistda", "dga", "regional", "provincial")
# (title, days after the start date it is due)
MILESTONES = (
    ("จัดทำบัญชีรายการข้อมูลด้านฝุ่นของหน่วยงานในจังหวัด", 14),
    ("เผยแพร่ค่า PM2.5 รายสถานีย้อนหลัง 3 ปี และจุดความร้อนรายวันในรูปแบบ CSV", 45),
    ("เผยแพร่ข้อมูลสาเหตุการเผาที่ยืนยันแล้วรายตำบล", 90),
    ("เปิดแดชบอร์ดสถานการณ์ฝุ่นรายอำเภอ และรายงานผลต่อคณะทำงาน", 180),
)
COMMITMENT_DAYS = 240
# The secretariat weighs the milestones (in MILESTONES order; they add up to 1): publishing the
# station data is most of the work, the catalogue the least.
MILESTONE_WEIGHTS = ("0.150", "0.350", "0.200", "0.300")

# The group's members are reminded of an open ballot a week before it closes.
REMINDER_HOURS = 168
# Seat (its holder's key) and the person named its deputy (ผู้แทน).
DEPUTIES = {"provincial": "deputy"}

# Who voted on the open-data proposal, by person: a seat's deputy votes in the seat's name
# ("deputy" for the Provincial Office seat, whose holder was away); a seat not named did not vote.
VOTES_ON_OPEN_DATA = {
    "chair": "yes", "vice_chair": "yes", "deputy": "yes", "agriculture": "yes",
    "environment": "yes", "disaster": "yes", "gistda": "yes", "dga": "yes", "local": "abstain",
    "regional": "yes", "industry": "no", "civil": "yes",
}
# The consent ballot on strict enforcement: every vote gives a reason; the private-sector seat
# blocks it, so it is not adopted.
ENFORCEMENT_SECTOR_QUORUM = {Sector.CIVIL_SOCIETY.value: 1, Sector.PRIVATE.value: 1}
VOTES_ON_ENFORCEMENT = {
    "chair": ("yes", "การบังคับใช้กฎหมายอย่างเท่าเทียมเป็นพื้นฐานของความเชื่อมั่นของประชาชน"),
    "vice_chair": ("yes", "การเปิดเผยผลการบังคับใช้กฎหมายรายเดือนสอดคล้องกับหลักการรัฐบาลเปิด"),
    "environment": ("yes", "สำนักงานพร้อมรายงานผลการตรวจแหล่งกำเนิดมลพิษทุกเดือน"),
    "disaster": ("yes", "ช่วยลดการเผาในช่วงที่ประกาศห้ามเผาได้จริง"),
    "regional": ("yes", "มีข้อมูลการตรวจวัดคุณภาพอากาศสนับสนุนการบังคับใช้กฎหมายอยู่แล้ว"),
    "local": ("yes", "องค์กรปกครองส่วนท้องถิ่นพร้อมร่วมตรวจการเผาในที่โล่งในพื้นที่ของตน"),
    "civil": ("yes", "ประชาชนในอำเภอแม่เมาะรอการเปิดเผยผลการตรวจโรงงานมานาน"),
    "agriculture": ("no", "ข้อเสนอยังไม่มีทางเลือกให้เกษตรกรรายย่อยที่ไม่มีเครื่องมือจัดการเศษวัสดุ"
                          "การเกษตร การบังคับใช้อย่างเดียวจะกระทบรายได้ของเกษตรกร"),
    "industry": ("abstain", "สำนักงานอุตสาหกรรมจังหวัดเป็นผู้บังคับใช้ พ.ร.บ.โรงงาน "
                            "จึงงดออกเสียงเพื่อหลีกเลี่ยงการมีส่วนได้เสีย"),
    "gistda": ("abstain", "เรื่องนี้อยู่นอกภารกิจของ GISTDA แต่พร้อมสนับสนุนข้อมูลจุดความร้อน"),
    "private": (
        "block",
        "ภาคเอกชนไม่คัดค้านการบังคับใช้กฎหมาย แต่ข้อเสนอนี้ใช้กับกิจการทุกขนาดทันทีโดยไม่มี"
        "ระยะเวลาปรับตัว โรงโม่และโรงตัดหินรายย่อยจำนวนมากยังไม่มีเงินทุนติดตั้งระบบดักฝุ่น "
        "หากตรวจเข้มทันทีในฤดูฝุ่นนี้จะต้องหยุดกิจการและเลิกจ้างแรงงาน ขอให้ปรับข้อเสนอให้มี"
        "ระยะเวลาปรับตัว 6 เดือน พร้อมแหล่งสินเชื่อดอกเบี้ยต่ำ แล้วจะถอนการคัดค้าน",
    ),
}
ENFORCEMENT_RESOLUTION = """\
ที่ประชุมยังไม่มีฉันทามติ เนื่องจากผู้แทนภาคเอกชนคัดค้าน (block) โดยให้เหตุผลว่าผู้ประกอบการรายย่อย\
ต้องมีระยะเวลาปรับตัวและแหล่งทุนติดตั้งระบบดักฝุ่น ที่ประชุมจึงมอบหมายให้ฝ่ายเลขานุการประสานผู้เสนอ \
สำนักงานอุตสาหกรรมจังหวัดลำปาง และหอการค้าจังหวัดลำปาง ปรับปรุงข้อเสนอให้มีระยะเวลาปรับตัว\
และมาตรการสนับสนุน แล้วเสนอต่อที่ประชุมอีกครั้ง
"""

VOTES_ON_BURN_DATA = {
    "disaster": "yes", "agriculture": "yes", "civil": "yes", "local": "yes", "industry": "abstain",
}


@dataclass(frozen=True)
class ProgressSpec:
    """A progress report; `milestones` is each milestone's completion when it is posted, and
    the percent reported is their weighted roll-up."""

    days_ago: int
    completion: str
    milestones: tuple[str, str, str, str]
    status: str
    note: str
    reason: str = ""
    evidence: tuple[str, ...] = ()


PROGRESS = (
    ProgressSpec(
        days_ago=21, completion="limited", status="on_track",
        milestones=("substantial", "not_started", "not_started", "not_started"),
        note="จัดประชุมหน่วยงานที่ถือครองข้อมูล 6 หน่วยงาน และรวบรวมบัญชีรายการข้อมูลด้านฝุ่น"
             "ได้ 14 ชุดข้อมูล อยู่ระหว่างตรวจสอบความครบถ้วนและผู้รับผิดชอบแต่ละชุด",
        evidence=(f"https://{EMAIL_DOMAIN}/evidence/data-catalogue-meeting.pdf",),
    ),
    ProgressSpec(
        days_ago=12, completion="limited", status="on_track",
        milestones=("complete", "limited", "not_started", "not_started"),
        note="บัญชีรายการข้อมูลแล้วเสร็จตามหลักไมล์แรก และเริ่มแปลงค่า PM2.5 รายสถานี 37t 38t 39t "
             "และ 40t ย้อนหลัง 3 ปีเป็นไฟล์ CSV พร้อมคำอธิบายข้อมูล",
        evidence=(
            f"https://{EMAIL_DOMAIN}/evidence/lampang-dust-data-catalogue.csv",
            f"https://{EMAIL_DOMAIN}/evidence/metadata-pm25-stations.pdf",
        ),
    ),
    ProgressSpec(
        days_ago=3, completion="substantial", status="delayed",
        milestones=("complete", "complete", "limited", "not_started"),
        note="เผยแพร่ค่า PM2.5 รายสถานีย้อนหลังและจุดความร้อนรายวันเป็นข้อมูลเปิดแล้ว",
        reason="ข้อมูลสาเหตุการเผารายตำบลจากอำเภอยังได้รับไม่ครบ (ได้รับแล้ว 8 จาก 13 อำเภอ) "
               "จึงคาดว่าจะเผยแพร่ชุดข้อมูลสาเหตุการเผาช้ากว่าแผนประมาณ 2 สัปดาห์",
        evidence=(f"https://{EMAIL_DOMAIN}/datasets/lampang-pm25-daily",),
    ),
)


@dataclass(frozen=True)
class ReviewSpec:
    """A participant confirms or disputes progress report number `update` (0 = the first)."""

    update: int
    reviewer: str
    kind: str  # a ReviewKind value
    days_ago: int
    comment: str
    evidence_url: str = ""


REVIEWS = (
    ReviewSpec(
        update=1, reviewer="volunteer", kind="confirm", days_ago=11,
        comment="ยืนยันครับ ชมรมอาสาสมัครได้ดาวน์โหลดบัญชีรายการข้อมูลมาใช้วางแผนเฝ้าระวังแล้ว "
                "รายการครบตามที่รายงาน และมีชื่อผู้รับผิดชอบทุกชุดข้อมูล",
        evidence_url=f"https://{EMAIL_DOMAIN}/evidence/volunteers-data-check.pdf",
    ),
    ReviewSpec(
        update=2, reviewer="citizen1", kind="dispute", days_ago=1,
        comment="รายงานว่าเผยแพร่ค่า PM2.5 รายสถานีย้อนหลังครบแล้ว แต่ไฟล์ของสถานี 40t (แม่เมาะ) "
                "ขาดข้อมูลเดือนกุมภาพันธ์และมีนาคม ซึ่งเป็นช่วงที่ฝุ่นหนักที่สุด "
                "ขอให้ตรวจสอบและเผยแพร่ให้ครบก่อนนับว่าหลักไมล์นี้แล้วเสร็จค่ะ",
        evidence_url=f"https://{EMAIL_DOMAIN}/evidence/station-40t-missing-months.png",
    ),
)


@dataclass(frozen=True)
class AssessmentSpec:
    author: str
    kind: str  # an AssessmentKind value
    completion: str
    opened_government: str  # an OpenedGovernment value
    explanation: str


ASSESSMENTS = (
    AssessmentSpec(
        author="agency", kind="self", completion="substantial", opened_government="major",
        explanation="เผยแพร่ชุดข้อมูลด้านฝุ่นเป็นข้อมูลเปิดแล้ว 10 ชุด จากเดิมที่ไม่มีเลย "
                    "ประชาชนและหน่วยงานในจังหวัดเข้าถึงค่า PM2.5 รายสถานีและจุดความร้อนได้เอง "
                    "โดยไม่ต้องทำหนังสือขอข้อมูล ส่วนข้อมูลสาเหตุการเผารายตำบลยังล่าช้า",
    ),
    AssessmentSpec(
        author="civil", kind="independent", completion="limited",
        opened_government="marginal",
        explanation="ข้อมูลที่เผยแพร่มีประโยชน์ แต่ยังขาดข้อมูลสาเหตุการเผาซึ่งเป็นหัวใจของข้อเสนอ "
                    "และข้อมูลสถานี 40t ยังไม่ครบ ประชาชนจึงยังไม่เห็นว่าฝุ่นในอำเภอของตนมาจากที่ใด "
                    "เครือข่ายภาคประชาสังคมจะประเมินอีกครั้งเมื่อเผยแพร่ข้อมูลสาเหตุการเผาแล้ว",
    ),
)


@dataclass(frozen=True)
class TaskSpec:
    """A volunteer task on the commitment, starting `starts_in_days` after today (site time);
    the people in `signups` sign up in order, then those in `withdrawals` withdraw."""

    title: str
    description: str
    place: str
    starts_in_days: int
    start_hour: int
    hours: int
    capacity: int
    signups: tuple[str, ...]
    withdrawals: tuple[str, ...] = ()


TASKS = (
    TaskSpec(
        title="เวรเฝ้าระวังไฟป่าดอยพระบาท",
        description="ร่วมเวรเฝ้าระวังไฟป่ากับชมรมอาสาสมัครที่จุดสังเกตการณ์ บันทึกจุดไฟ"
                    "และควันที่พบพร้อมพิกัด เพื่อเทียบกับจุดความร้อนจากดาวเทียมในชุดข้อมูลเปิด "
                    "ผู้จัดมีอาหารและน้ำดื่มให้ ควรสวมรองเท้าหุ้มส้นและเสื้อแขนยาว",
        place="จุดสังเกตการณ์ไฟป่าดอยพระบาท อำเภอเมืองลำปาง",
        starts_in_days=4, start_hour=6, hours=6, capacity=4,
        signups=("volunteer", "citizen3", "citizen1", "researcher", "business", "citizen2",
                 "civil"),
        withdrawals=("citizen1",),
    ),
    TaskSpec(
        title="วันจัดการเชื้อเพลิงและทำแนวกันไฟ บ้านแม่เมาะ",
        description="เก็บใบไม้แห้งและกิ่งไม้ตามแนวกันไฟรอบป่าชุมชน ร่วมกับองค์การบริหาร"
                    "ส่วนตำบลและชาวบ้าน เศษวัสดุที่เก็บได้จะนำไปทำปุ๋ยหมักแทนการเผา",
        place="ป่าชุมชนบ้านแม่เมาะ อำเภอแม่เมาะ",
        starts_in_days=11, start_hour=7, hours=8, capacity=30,
        signups=("volunteer", "citizen1", "citizen3", "local", "deputy"),
    ),
    TaskSpec(
        title="เวทีสร้างความตระหนักรู้เรื่องฝุ่นในหมู่บ้าน ตำบลบ้านโป่ง",
        description="แนะนำวิธีอ่านค่าฝุ่นและชุดข้อมูลเปิดของจังหวัด การป้องกันตนเองของเด็ก"
                    "และผู้สูงอายุ และทางเลือกแทนการเผาในพื้นที่เกษตร ต้องการผู้ช่วยจัดเวที"
                    "และผู้ช่วยตอบคำถามของชาวบ้าน",
        place="ศาลาเอนกประสงค์ บ้านโป่ง อำเภองาว",
        starts_in_days=18, start_hour=13, hours=3, capacity=10,
        signups=("researcher", "citizen2", "civil"),
    ),
)


@dataclass(frozen=True)
class KpiSpec:
    key: str
    name_th: str
    name_en: str
    description: str
    unit_th: str
    unit_en: str
    direction: str
    rule: str
    baseline_value: float
    target_value: float
    owners: tuple[str, ...]
    station: str | None = None


# The joint KPIs of the demo commitment. The baselines are the figures of the year before
# last that the working group agreed on, from before the synthetic year of readings and hotspots the demo imports;
# the targets fall after the next burning season.
KPIS = (
    KpiSpec(
        key="bad_air_days", rule="pm25_days_above_standard", station="37t",
        name_th="จำนวนวันที่ค่าฝุ่น PM2.5 เฉลี่ย 24 ชั่วโมงเกินมาตรฐาน สถานีเมืองลำปาง (37t)",
        name_en="Days with 24-hour PM2.5 above the standard, Mueang Lampang station (37t)",
        description="นับวันในแต่ละเดือนที่ค่าเฉลี่ย 24 ชั่วโมงเกิน 37.5 ไมโครกรัมต่อลูกบาศก์เมตร "
                    "คำนวณจากข้อมูลรายชั่วโมงที่นำเข้าโดยอัตโนมัติ",
        unit_th="วันต่อเดือน", unit_en="days per month", direction="lower",
        baseline_value=12.0, target_value=6.0, owners=("environment",),
    ),
    KpiSpec(
        key="hotspots", rule="hotspots_per_month",
        name_th="จำนวนจุดความร้อนจากดาวเทียมในจังหวัดลำปาง",
        name_en="Satellite fire hotspots in Lampang province",
        description="จุดความร้อนจากดาวเทียม VIIRS ต่อเดือน ทั้งจังหวัด "
                    "(ขอบเขตอำเภอเป็นค่าโดยประมาณ)",
        unit_th="จุดต่อเดือน", unit_en="hotspots per month", direction="lower",
        baseline_value=520.0, target_value=300.0, owners=("disaster", "gistda"),
    ),
    KpiSpec(
        key="open_datasets", rule="manual",
        name_th="ชุดข้อมูลด้านฝุ่นที่เผยแพร่เป็นข้อมูลเปิด",
        name_en="Dust-related datasets published as open data",
        description="นับชุดข้อมูลที่เผยแพร่ในรูปแบบที่เครื่องอ่านได้ พร้อมคำอธิบายข้อมูลและสัญญาอนุญาต",
        unit_th="ชุดข้อมูล", unit_en="datasets", direction="higher",
        baseline_value=0.0, target_value=12.0, owners=("environment",),
    ),
)
# The lead agency's counts of published datasets, by the day they were reported (days ago).
OPEN_DATASETS_REPORTED = ((20, 2.0), (11, 5.0), (2, 10.0))


# Meetings of the working group (การประชุมคณะทำงาน), numbered in the Buddhist year of the
# first one: "{year}" in a title is that year.
MEETING_TITLE = "การประชุมคณะทำงานฯ ครั้งที่ {number}/{year}"
MEETING_PLACE = "ห้องประชุมศาลากลางจังหวัดลำปาง ชั้น 2"
MEETING_ONLINE_URL = f"https://meet.{EMAIL_DOMAIN}/ogp-lampang"
NOTED = "ที่ประชุมรับทราบ"


@dataclass(frozen=True)
class AgendaItemSpec:
    """An item of the agenda, added in this order within its section (1 to 4); `proposal` is
    a proposal's key (section 3 only); `minutes` is Markdown, `resolution` the มติ in words."""

    section: int
    title: str
    description: str = ""
    proposal: str | None = None
    minutes: str = ""
    resolution: str = ""


@dataclass(frozen=True)
class MeetingSpec:
    """A meeting `days_ago` (negative: still to come) from `starts` to `ends` (site time);
    every seat is present unless `attendance` says otherwise (seat holder's key: status, note)."""

    number: int
    days_ago: int
    items: tuple[AgendaItemSpec, ...]
    starts: tuple[int, int] = (9, 30)
    ends: tuple[int, int] = (12, 0)
    guests: tuple[str, ...] = ()
    attendance: dict[str, tuple[str, str]] = field(default_factory=dict)
    minutes_taker: str | None = None


MEETINGS = (
    MeetingSpec(
        number=1, days_ago=45, minutes_taker="assistant1",
        guests=("นางวิภาวดี ทองสุข ศูนย์ศึกษาสุขภาพและสิ่งแวดล้อมล้านนา",
                "นายภาคภูมิ ศรีสุข สำนักงานสาธารณสุขจังหวัดลำปาง"),
        # The Provincial Office's holder is away and the deputy sits in the seat; the
        # private-sector member sends apologies (and does not vote on the open-data ballot).
        attendance={"provincial": ("deputy", ""), "private": ("excused", "ติดภารกิจ")},
        items=(
            AgendaItemSpec(
                section=1, title="การเตรียมความพร้อมรับมือสถานการณ์ฝุ่นละอองในฤดูแล้งที่จะถึง",
                minutes="""\
ประธานแจ้งว่าจังหวัดลำปางเป็นพื้นที่นำร่องระบบนิเวศภาครัฐระบบเปิดและการมีส่วนร่วมอย่างมีความหมาย\
ของสำนักงาน ก.พ.ร. และขอให้ทุกหน่วยงานจัดทำแผนเผชิญเหตุฝุ่นละอองให้แล้วเสร็จก่อนเดือนธันวาคม

ประธานขอให้คณะทำงานใช้ระบบนี้รับข้อเสนอจากประชาชน ลงมติ และรายงานความคืบหน้าต่อสาธารณะ \
เพื่อให้ประชาชนติดตามการทำงานของคณะทำงานได้ทุกขั้นตอน
""",
                resolution=NOTED,
            ),
            AgendaItemSpec(
                section=2, title="รายงานสถานการณ์คุณภาพอากาศจังหวัดลำปางในฤดูฝุ่นที่ผ่านมา",
                description="สำนักงานสิ่งแวดล้อมภาคที่ 2 (ลำปาง) รายงาน",
                minutes="""\
ผู้แทนสำนักงานสิ่งแวดล้อมภาคที่ 2 (ลำปาง) รายงานว่าในฤดูฝุ่นที่ผ่านมา ค่า PM2.5 เฉลี่ย 24 ชั่วโมง\
ที่สถานีเมืองลำปาง (37t) เกินมาตรฐาน 37.5 ไมโครกรัมต่อลูกบาศก์เมตร รวม 41 วัน \
ค่าสูงสุดอยู่ในช่วงกลางเดือนมีนาคม

- สถานีแม่เมาะ (40t) เกินมาตรฐานน้อยวันกว่าสถานีในเมือง แต่มีช่วงที่ค่าสูงต่อเนื่องหลายวันในเดือนเมษายน
- ฝุ่นส่วนใหญ่มาจากการเผาในที่โล่งและไฟป่า ทั้งในจังหวัดและจังหวัดใกล้เคียง

ผู้แทนภาคประชาสังคมขอให้เผยแพร่ข้อมูลรายสถานีย้อนหลังให้ประชาชนตรวจสอบได้เอง
""",
                resolution="ที่ประชุมรับทราบ และมอบหมายให้สำนักงานสิ่งแวดล้อมภาคที่ 2 (ลำปาง) "
                           "รายงานสถานการณ์ต่อคณะทำงานทุกเดือนในช่วงฤดูฝุ่น",
            ),
            AgendaItemSpec(
                section=2, title="รายงานจุดความร้อนจากภาพถ่ายดาวเทียม",
                description="สำนักงานพัฒนาเทคโนโลยีอวกาศและภูมิสารสนเทศ (GISTDA) รายงาน",
                minutes="""\
ผู้แทน GISTDA รายงานว่าในฤดูฝุ่นที่ผ่านมาตรวจพบจุดความร้อนจากดาวเทียม VIIRS ในจังหวัดลำปาง\
สะสม 2,417 จุด ร้อยละ 68 อยู่ในพื้นที่ป่าอนุรักษ์และป่าสงวนแห่งชาติ อำเภอที่พบมากที่สุดคือ \
อำเภองาว อำเภอเถิน และอำเภอแม่พริก

GISTDA พร้อมส่งข้อมูลจุดความร้อนรายวันให้หน่วยงานในจังหวัด และเผยแพร่เป็นข้อมูลเปิด
""",
                resolution=NOTED,
            ),
            AgendaItemSpec(
                section=3, proposal="open_data",
                title="ข้อเสนอการเปิดเผยข้อมูลฝุ่น PM2.5 รายพื้นที่ พร้อมแหล่งกำเนิดและสาเหตุ",
                description="ข้อเสนอของชมรมอาสาสมัครเฝ้าระวังไฟป่าลำปาง ซึ่งสำนักงานทรัพยากร"
                            "ธรรมชาติและสิ่งแวดล้อมจังหวัดลำปางรับไว้พิจารณาแล้ว "
                            "ฝ่ายเลขานุการเสนอให้คณะทำงานพิจารณาและลงมติ",
                minutes="""\
ผู้เสนอนำเสนอข้อเสนอโดยสรุป ผู้แทนสำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปางแจ้งว่า\
พร้อมเป็นหน่วยงานหลัก โดยเริ่มจากค่า PM2.5 รายสถานีและจุดความร้อนรายวันก่อน

ผู้แทนสำนักงานอุตสาหกรรมจังหวัดลำปางกังวลว่าการเปิดเผยแหล่งกำเนิดรายกิจการที่ยังไม่ผ่าน\
การตรวจสอบอาจกระทบผู้ประกอบการ ที่ประชุมจึงเห็นควรเปิดเผยเฉพาะสาเหตุที่ยืนยันแล้ว \
และแนบคำอธิบายข้อมูลกับทุกชุดข้อมูล

ประธานให้เปิดการลงมติของคณะทำงานในระบบตั้งแต่วันประชุม เพื่อให้กรรมการที่ไม่ได้มาประชุม\
ลงคะแนนได้ด้วย ผลการลงมติเป็นมติที่ประชุมในวาระนี้
""",
            ),
            AgendaItemSpec(
                section=4, title="เรื่องอื่น ๆ",
                minutes="ฝ่ายเลขานุการแจ้งว่าจะประชุมครั้งต่อไปในเดือนถัดไป เพื่อพิจารณาข้อเสนอ"
                        "เรื่องการบังคับใช้กฎหมาย และติดตามความคืบหน้าการเปิดเผยข้อมูล",
                resolution=NOTED,
            ),
        ),
    ),
    MeetingSpec(
        number=2, days_ago=19, minutes_taker="assistant1",
        guests=("นางสาวศิริพร คำมูล สำนักงานอุตสาหกรรมจังหวัดลำปาง (ผู้ชี้แจงวาระที่ 3.1)",),
        attendance={"provincial": ("deputy", ""), "dga": ("excused", "ติดราชการ")},
        items=(
            AgendaItemSpec(
                section=1, title="ผลการประชุมคณะอนุกรรมการขับเคลื่อนการเป็นหุ้นส่วนรัฐบาลเปิด",
                minutes="รองประธานแจ้งว่าคณะอนุกรรมการฯ ได้ติดตามการดำเนินงานของพื้นที่นำร่อง "
                        "และขอให้จังหวัดลำปางรายงานความคืบหน้าการเปิดเผยข้อมูลฝุ่นผ่านระบบทุกเดือน",
                resolution=NOTED,
            ),
            AgendaItemSpec(
                section=2, title="รับรองรายงานการประชุมครั้งที่ 1/{year}",
                minutes="ฝ่ายเลขานุการได้เผยแพร่รายงานการประชุมครั้งที่ 1/{year} ในระบบ"
                        "ให้กรรมการและประชาชนตรวจสอบแล้ว ไม่มีกรรมการขอแก้ไข",
                resolution="ที่ประชุมมีมติรับรองรายงานการประชุมครั้งที่ 1/{year} โดยไม่มีการแก้ไข",
            ),
            AgendaItemSpec(
                section=2, title="ความคืบหน้าการเปิดเผยข้อมูลฝุ่น PM2.5 รายพื้นที่เป็นข้อมูลเปิด",
                description="สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปาง รายงาน",
                minutes="ผู้แทนสำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดลำปางรายงานว่า"
                        "รวบรวมบัญชีรายการข้อมูลด้านฝุ่นของหน่วยงานในจังหวัดได้ 14 ชุดข้อมูล "
                        "และเผยแพร่เป็นข้อมูลเปิดแล้ว 2 ชุด รายละเอียดอยู่ในรายงานความคืบหน้า"
                        "ของข้อผูกพันในระบบ",
                resolution=NOTED,
            ),
            AgendaItemSpec(
                section=3, proposal="enforcement",
                title="ข้อเสนอการบังคับใช้ พ.ร.บ.ส่งเสริมและรักษาคุณภาพสิ่งแวดล้อมแห่งชาติ "
                      "และ พ.ร.บ.โรงงาน พ.ศ. 2535 อย่างเคร่งครัด",
                description="ข้อเสนอของผู้แทนภาคประชาสังคม พร้อมจำนวนการตรวจและการฝ่าฝืน"
                            "ในปีที่ผ่านมาจากสำนักงานอุตสาหกรรมจังหวัดลำปาง",
                minutes="""\
ผู้แทนภาคประชาสังคมนำเสนอข้อเสนอ ผู้แทนสำนักงานอุตสาหกรรมจังหวัดลำปางรายงานผลการตรวจโรงงาน\
ในปีที่ผ่านมา และแจ้งว่าจะงดออกเสียงเนื่องจากเป็นผู้บังคับใช้กฎหมายเอง

ผู้แทนภาคเอกชนเห็นด้วยกับหลักการ แต่ขอให้มีระยะเวลาปรับตัวสำหรับกิจการรายย่อย \
ผู้แทนสำนักงานเกษตรและสหกรณ์จังหวัดลำปางขอให้มีทางเลือกแทนการเผาสำหรับเกษตรกร

ประธานให้ลงมติแบบฉันทามติ (consent) โดยทุกเสียงต้องให้เหตุผล และต้องมีผู้แทนภาคประชาสังคม\
และภาคเอกชนลงคะแนนอย่างน้อยภาคละ 1 เสียง ผลการลงมติเป็นมติที่ประชุมในวาระนี้
""",
            ),
            AgendaItemSpec(
                section=4, title="เรื่องอื่น ๆ",
                minutes="ผู้แทนสำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดลำปางแจ้งว่าจะเสนอ"
                        "ข้อเสนอการจัดทำระบบข้อมูลการเผารายเดือนเข้าสู่การพิจารณา"
                        "ในการประชุมครั้งถัดไป",
                resolution=NOTED,
            ),
        ),
    ),
    MeetingSpec(
        number=3, days_ago=-10,
        items=(
            AgendaItemSpec(section=1, title="เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"),
            AgendaItemSpec(section=2, title="รับรองรายงานการประชุมครั้งที่ 2/{year}"),
            AgendaItemSpec(
                section=3, proposal="burn_data",
                title="ข้อเสนอการจัดทำระบบข้อมูลจำนวนการเผารายเดือนและสาเหตุของการเผา",
                description="การลงมติของคณะทำงานเปิดอยู่ในระบบ ที่ประชุมจะรับทราบผล"
                            "และหารือแนวทางดำเนินการร่วมกับ GISTDA",
            ),
            AgendaItemSpec(section=4, title="เรื่องอื่น ๆ"),
        ),
    ),
)

# Found after the minutes of the first meeting were approved: a figure in item 2.2 was wrong.
MINUTES_CORRECTION = (
    "แก้ไขจำนวนจุดความร้อนสะสมในวาระที่ 2.2 เป็น 2,147 จุด (รายงานการประชุมระบุว่า 2,417 จุด) "
    "ตามรายงานฉบับแก้ไขที่ GISTDA ส่งถึงฝ่ายเลขานุการหลังการรับรองรายงานการประชุม"
)


# Moderation (moderation lane A1). An advert posted as a comment, reported and hidden as spam by
# the moderator; reports still waiting in the moderators' queue.
@dataclass(frozen=True)
class ReportSpec:
    """`reporter` reports the comment `author` wrote on proposal `proposal` (keys)."""

    proposal: str
    author: str
    reporter: str
    reason: str  # a ModerationReason value
    days_ago: int
    note: str = ""


SPAM_PROPOSAL = "technology"
SPAM_COMMENT = (
    "ขายเครื่องฟอกอากาศกรองฝุ่น PM2.5 ราคาส่ง ลดพิเศษ 50% วันนี้วันเดียว! "
    "ส่งฟรีทั่วลำปาง ทักแชตร้านได้เลย"
)
SPAM_REPORTS = (
    ReportSpec(SPAM_PROPOSAL, "advertiser", "citizen3", "spam", 4,
               "โฆษณาขายของ ไม่เกี่ยวกับข้อเสนอค่ะ"),
    ReportSpec(SPAM_PROPOSAL, "advertiser", "researcher", "spam", 3),
)
SPAM_REASON = "spam"
OPEN_REPORTS = (
    ReportSpec("impact", "private", "citizen2", "misleading", 3,
               "ตัวเลขนักท่องเที่ยวลดลงเพราะหลายสาเหตุ ไม่ใช่เพราะการเปิดเผยข้อมูลฝุ่น"),
    ReportSpec("clean_rooms", "business", "citizen1", "spam", 2,
               "ดูเหมือนโฆษณาบริษัทมากกว่าความเห็นต่อข้อเสนอ"),
    ReportSpec("clean_rooms", "business", "volunteer", "off_topic", 1),
)
