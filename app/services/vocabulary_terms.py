"""The words of the Gerakan Menuju 100 Smart City programme, per dimension and
sub-element: the data behind ``vocabulary`` (read there how they are used).

Written from general knowledge of Indonesian local government (offices and their
abbreviations, national programmes and platforms, what citizens complain about and how
they type it), never from the labelled sets that measure the engines.

How to add terms
----------------
- ``CONCEPTS`` rows are ``(code, label, "dimension/sub_element", "term, term, ...")``.
  A concept gathers words a facilitator would read as *the same subject*: two ideas
  that share one look alike although they share no word, so keep a concept narrow
  (one object or one problem). Its label is what the facilitator reads as a reason.
  ``None`` as the place: the subject is shared by several sub-elements (an antrean, an
  internet connection), it links ideas but votes for no dimension.
- ``CUES`` rows are ``("dimension/sub_element", "term, term, ...")``: words that say
  where an idea belongs but not what it is about (an office, a broad programme, a
  field's general words). They vote for the sub-element; they do not link ideas.
- A term is a word or a phrase as people type it, lower case; it is matched on stems
  (Sastrawi), so "pendaftaran", "daftar" and "mendaftar" are one term. A phrase is
  matched on its first two content words, next to each other. Digits are dropped
  before matching; phone abbreviations and typos belong in ``wording.MORE_ABBREVIATIONS``.
- Avoid a one-word term that is common in other senses ("jalan" is also "berjalan",
  "aman" is in every wish): use a phrase ("jalan rusak") or a cue.
"""

from __future__ import annotations

G_SERVICE = "governance/public_service"
G_BUREAU = "governance/bureaucracy"
G_POLICY = "governance/public_policy"
B_TOURISM = "branding/tourism"
B_BUSINESS = "branding/business"
B_CITY = "branding/city_appearance"
E_INDUSTRY = "economy/industry"
E_WELFARE = "economy/welfare"
E_FINANCE = "economy/financial_transactions"
L_SPACE = "living/spatial_harmony"
L_HEALTH = "living/health"
L_MOBILITY = "living/mobility"
S_COMMUNITY = "society/community"
S_LEARNING = "society/learning"
S_SECURITY = "society/security"
V_PROTECTION = "environment/environmental_protection"
V_WASTE = "environment/waste"
V_ENERGY = "environment/energy"

CONCEPTS: tuple[tuple[str, str, str | None, str], ...] = (
    # --- Smart Governance: public service --------------------------------------------
    (
        "adminduk",
        "kependudukan",
        G_SERVICE,
        "ktpel, ektp, ktp, akta, akte, akta kelahiran, akta lahir, akte lahir, kartu keluarga, kependudukan,"
        " adminduk, disdukcapil, kia, kartu identitas anak, nik, surat pindah, akta kematian, akta nikah, blanko,"
        " identitas kependudukan digital, ikd, dokumen kependudukan, kartu keluarga, biodata",
    ),
    (
        "izin",
        "perizinan",
        G_SERVICE,
        "izin, perizinan, oss, dpmptsp, perizinan terpadu, pbg, imb, nib, siup, izin usaha, izin mendirikan,"
        " sppl, persetujuan bangunan, izin keramaian, izin praktik, sip, slf",
    ),
    (
        "aduan",
        "pengaduan",
        G_SERVICE,
        "aduan, pengaduan, lapor, laporan warga, keluhan, komplain, hotline, sp4n, lapor, span lapor,"
        " kanal aduan, tindaklanjut, tindak lanjut, mengadu, respon aduan, whatsapp pengaduan",
    ),
    (
        "antre",
        "antrean dan pendaftaran",
        None,
        "daftar, pendaftaran, registrasi, booking, reservasi, janji temu, antre, antrean, antri, nomor antrean,"
        " loket, tunggu lama, menunggu, berjam, subuh, penuh sesak",
    ),
    (
        "mpp",
        "mal pelayanan publik",
        G_SERVICE,
        "mpp, mal pelayanan, mall pelayanan, satu pintu, gerai layanan, pelayanan terpadu, ptsp, mpp digital",
    ),
    (
        "jemput",
        "layanan keliling",
        G_SERVICE,
        "keliling, jemput bola, mobil layanan, mobil keliling, datang ke desa, pelosok, terpencil, pulau terluar,"
        " daerah terpencil, door to door",
    ),
    (
        "suket",
        "surat keterangan",
        G_SERVICE,
        "surat keterangan, sktm, surat domisili, keterangan domisili, surat pengantar, pengantar rt, legalisir,"
        " surat tidak mampu, keterangan usaha",
    ),
    (
        "kepuasan",
        "survei kepuasan",
        G_SERVICE,
        "survei kepuasan, skm, indeks kepuasan, kepuasan masyarakat, penilaian layanan, rating layanan,"
        " umpan balik, feedback",
    ),
    (
        "callcenter",
        "pusat layanan informasi",
        G_SERVICE,
        "call center, pusat informasi, chatbot, layanan informasi, customer service, front office, helpdesk",
    ),
    (
        "kecamatan",
        "layanan kecamatan dan desa",
        G_SERVICE,
        "pelayanan kecamatan, kantor desa, kantor lurah, pelayanan desa, sistem informasi desa, sid,"
        " desa digital, kelurahan digital, pelayanan kelurahan",
    ),
    # --- Smart Governance: bureaucracy ----------------------------------------------
    (
        "surat",
        "persuratan elektronik",
        G_BUREAU,
        "surat, persuratan, disposisi, tte, tanda tangan, tanda tangan elektronik, srikandi, eoffice,"
        " naskah dinas, nota dinas, paperless, surat menyurat, bsre, sertifikat elektronik",
    ),
    ("arsip", "arsip", G_BUREAU, "arsip, kearsipan, pengarsipan, dokumen fisik, digitalisasi dokumen, earsip"),
    (
        "data",
        "satu data",
        G_BUREAU,
        "satu data, dashboard, statistik, basis data, database, interoperabilitas, integrasi data, terintegrasi,"
        " data sektoral, walidata, bps, portal data, open data, data terpadu, big data",
    ),
    (
        "asn",
        "kinerja pegawai",
        G_BUREAU,
        "asn, pns, pegawai, presensi, absen, absensi, honorer, aparatur, ngantor, kantor kosong, pppk, ekinerja,"
        " skp, kinerja pegawai, disiplin pegawai, finger print, fingerprint, sidik jari, jam kerja, bkpsdm, bkd,"
        " kepegawaian, simpeg, apel",
    ),
    (
        "anggaran",
        "anggaran daerah",
        G_BUREAU,
        "apbd, anggaran, realisasi anggaran, sipd, ebudgeting, belanja daerah, bpkad, keuangan daerah, spj,"
        " pertanggungjawaban, sp2d, laporan keuangan, bku",
    ),
    (
        "pengadaan",
        "pengadaan barang dan jasa",
        G_BUREAU,
        "pengadaan, lelang, tender, ekatalog, lpse, ukpbj, pengadaan barang, penyedia, katalog elektronik",
    ),
    ("aset", "aset daerah", G_BUREAU, "aset, barang milik daerah, bmd, inventaris, kendaraan dinas, aset daerah"),
    (
        "server",
        "pusat data dan keamanan siber",
        G_BUREAU,
        "server, data center, pusat data, cloud, hosting, domain, keamanan siber, diretas, hacker,"
        " serangan siber, csirt, peretasan, ransomware, backup data, pdn",
    ),
    (
        "spbe",
        "SPBE dan integrasi aplikasi",
        G_BUREAU,
        "spbe, integrasi aplikasi, aplikasi terlalu banyak, banyak aplikasi, super app, superapps, satu aplikasi,"
        " arsitektur spbe, tumpang tindih aplikasi, aplikasi umum",
    ),
    ("rapat", "rapat daring", G_BUREAU, "rapat, zoom, vicon, video conference, rapat online, rapat koordinasi"),
    (
        "jaringan",
        "internet",
        None,
        "internet, wifi, wi fi, hotspot, jaringan internet, sinyal, bandwidth, fiber, fiber optik, bts,"
        " blank spot, blankspot, kuota, koneksi, telkomsel, indihome, palapa ring, bakti, satelit, akses internet,"
        " lemot",
    ),
    (
        "pengawasan",
        "pengawasan internal",
        G_BUREAU,
        "inspektorat, pengawasan internal, sakip, reformasi birokrasi, zona integritas, wbk, wbbm, gratifikasi,"
        " pungli, pungutan liar, korupsi, saber pungli, maturitas",
    ),
    # --- Smart Governance: public policy --------------------------------------------
    (
        "regulasi",
        "peraturan",
        G_POLICY,
        "perda, perbup, perwal, perkada, regulasi, aturan, peraturan, payung hukum, diperbupkan, sk bupati,"
        " sk walikota, ranperda, jdih, produk hukum, dasar hukum, landasan hukum",
    ),
    (
        "rencana",
        "perencanaan pembangunan",
        G_POLICY,
        "musrenbang, rpjmd, rkpd, renstra, perencanaan, jaring aspirasi, aspirasi, pokir, emusrenbang, bappeda,"
        " perencanaan pembangunan",
    ),
    (
        "masterplan",
        "masterplan smart city",
        G_POLICY,
        "masterplan, rencana induk, smart city, kota cerdas, dewan smart city, roadmap, peta jalan, quick win",
    ),
    (
        "terbuka",
        "keterbukaan informasi",
        G_POLICY,
        "ppid, transparan, transparansi, keterbukaan, keterbukaan informasi, akuntabilitas, akuntabel,"
        " informasi publik, sengketa informasi, open government",
    ),
    (
        "partisipasi",
        "partisipasi warga",
        G_POLICY,
        "partisipasi, partisipatif, konsultasi publik, jajak pendapat, polling, suara warga, dengar pendapat,"
        " uji publik, dprd, reses",
    ),
    (
        "evaluasi",
        "evaluasi kebijakan",
        G_POLICY,
        "evaluasi kebijakan, kajian, naskah akademik, riset kebijakan, litbang, brida, monitoring evaluasi, monev",
    ),
    # --- Smart Branding: tourism ----------------------------------------------------
    (
        "wisata",
        "wisata",
        B_TOURISM,
        "wisata, pariwisata, turis, wisatawan, destinasi, objek wisata, desa wisata, pokdarwis, tour, dispar,"
        " disparpora, disbudpar, liburan, tourism, traveler, backpacker, wisman, wisnus",
    ),
    (
        "inap",
        "penginapan",
        B_TOURISM,
        "homestay, penginapan, hotel, nginap, menginap, ota, traveloka, tiket com, airbnb, villa, losmen, resort,"
        " guest house",
    ),
    (
        "promosi",
        "promosi digital",
        B_TOURISM,
        "promosi, konten, media sosial, instagram, tiktok, influencer, video, youtube, viral, iklan,"
        " website resmi, facebook, vlog, content creator, storytelling, brosur, fam trip, virtual tour",
    ),
    (
        "festival",
        "festival dan event",
        B_TOURISM,
        "festival, event, kalender event, pagelaran, karnaval, perayaan, tahunan, pentas, pertunjukan, lomba,"
        " expo, pesta rakyat",
    ),
    (
        "budaya",
        "budaya",
        B_TOURISM,
        "budaya, adat, tari, tarian, seni, sanggar, tradisi, kesenian, cagar budaya, museum, sejarah, heritage,"
        " warisan budaya, ritual, upacara adat, rumah adat, kearifan lokal",
    ),
    (
        "pemandu",
        "pemandu wisata",
        B_TOURISM,
        "pemandu, pemandu wisata, guide, tour guide, hpi, sadar wisata, sapta pesona, pelayanan wisatawan",
    ),
    ("tiketwisata", "tiket masuk wisata", B_TOURISM, "tiket masuk, karcis, tiket wisata, tiket online, etiket"),
    (
        "alam",
        "wisata alam",
        B_TOURISM,
        "air terjun, snorkeling, diving, selam, gunung, pendakian, bukit, goa, gua, trekking, camping, bahari,"
        " wisata bahari, wisata alam, ekowisata, agrowisata",
    ),
    (
        "infowisata",
        "informasi wisatawan",
        B_TOURISM,
        "tourist information, tic, peta wisata, paket wisata, rute wisata, itinerary, aplikasi wisata,"
        " informasi wisata",
    ),
    # --- Smart Branding: business ---------------------------------------------------
    (
        "umkm",
        "UMKM",
        B_BUSINESS,
        "umkm, usaha kecil, pelaku usaha, ukm, ikm, wirausaha, usaha mikro, pengusaha, pedagang kecil, diskopukm,"
        " pelaku umkm, entrepreneur",
    ),
    (
        "produk",
        "produk lokal dan kemasan",
        B_BUSINESS,
        "produk, kemasan, packaging, label, sertifikasi halal, halal, pirt, produk lokal, khas, bpom,"
        " standar mutu, sni, kurasi produk, desain kemasan",
    ),
    (
        "merek",
        "merek dan HKI",
        B_BUSINESS,
        "merek, brand, branding produk, hki, haki, kekayaan intelektual, indikasi geografis, hak cipta, paten,"
        " logo, tagline, city branding",
    ),
    (
        "jualan",
        "pemasaran online",
        B_BUSINESS,
        "marketplace, ecommerce, toko online, jualan, jual, shopee, tokopedia, pembeli, katalog, etalase,"
        " online shop, olshop, bukalapak, lazada, pemasaran digital, digital marketing, go digital,"
        " onboarding umkm",
    ),
    ("ekspor", "ekspor", B_BUSINESS, "ekspor, eksportir, pasar internasional, mancanegara, buyer, pasar global"),
    (
        "investasi",
        "investasi",
        B_BUSINESS,
        "investasi, investor, penanaman modal, peluang investasi, profil investasi, kemudahan berusaha,"
        " iklim investasi, proyek investasi, kawasan ekonomi khusus, kek",
    ),
    (
        "kuliner",
        "kuliner",
        B_BUSINESS,
        "kuliner, makanan khas, oleholeh, jajanan, kopi, rumah makan, cafe, kafe, restoran, warung makan,"
        " food court, kue",
    ),
    (
        "kerajinan",
        "kerajinan",
        B_BUSINESS,
        "kerajinan, tenun, batik, songket, anyaman, ukiran, souvenir, cendera mata, kriya, ekonomi kreatif, ekraf",
    ),
    (
        "startup",
        "startup dan inkubator",
        B_BUSINESS,
        "startup, start up, inkubator, inkubasi, coworking, co working, technopark, akselerator, digital hub,"
        " ekosistem digital, talenta digital",
    ),
    (
        "pameran",
        "pameran produk",
        B_BUSINESS,
        "pameran, bazar, bazaar, showroom, galeri produk, display produk, gerai umkm",
    ),
    # --- Smart Branding: city appearance ---------------------------------------------
    (
        "taman",
        "taman dan ikon kota",
        B_CITY,
        "taman kota, alun alun, alunalun, gapura, tugu, mural, landmark, ikon kota, lampu hias, estetika, indah,"
        " gerbang kota, monumen, patung, air mancur, spot foto, instagramable, mempercantik, keindahan kota,"
        " wajah kota, kota lama, revitalisasi, fasad, bangunan tua",
    ),
    (
        "tepian",
        "kawasan tepi air",
        B_CITY,
        "waterfront, tepian, tepi sungai, tepi laut, pantai kota, boulevard, promenade",
    ),
    (
        "pkl",
        "pedagang kaki lima",
        B_CITY,
        "pkl, kaki lima, lapak, penataan pedagang, relokasi pedagang, gerobak, pedagang liar",
    ),
    ("reklame", "reklame", B_CITY, "baliho, spanduk, reklame, billboard, videotron, iklan luar ruang, umbul umbul"),
    (
        "penunjuk",
        "penunjuk arah dan papan nama",
        B_CITY,
        "papan nama, nama jalan, papan nama jalan, penunjuk arah, petunjuk arah, signage, rambu wisata,"
        " wayfinding, plang, penanda, papan informasi",
    ),
    (
        "bersih",
        "kebersihan kota",
        B_CITY,
        "adipura, kebersihan kota, kota bersih, bersih kota, kesan pertama, wajah depan",
    ),
    # --- Smart Economy: industry ----------------------------------------------------
    (
        "tani",
        "pertanian",
        E_INDUSTRY,
        "tani, petani, pertanian, sawah, padi, pupuk, pupuk subsidi, panen, gapoktan, kelompok tani, jagung,"
        " sayur, hortikultura, kebun, perkebunan, sawit, karet, kakao, cengkeh, kopi petani, bibit, benih,"
        " irigasi, alsintan, traktor, penyuluh, ppl, distan, hama, smart farming, kartu tani, lahan pertanian",
    ),
    (
        "ikan",
        "perikanan",
        E_INDUSTRY,
        "nelayan, ikan, perikanan, budidaya, tambak, rumput laut, tpi, cold storage, tangkapan, melaut, udang,"
        " kepiting, rumpon, alat tangkap, pelelangan ikan, dkp, pokdakan, kusuka, garam, petambak",
    ),
    (
        "ternak",
        "peternakan",
        E_INDUSTRY,
        "ternak, peternak, peternakan, sapi, kambing, ayam, unggas, pakan, babi, kandang, inseminasi, keswan,"
        " penyakit mulut dan kuku, pmk, vaksin ternak",
    ),
    (
        "industri",
        "industri pengolahan",
        E_INDUSTRY,
        "industri, pabrik, olahan, pengolahan, hilirisasi, kawasan industri, manufaktur, nilai tambah, sentra,"
        " sentra industri, rumah produksi, mesin produksi, disperindag, bahan baku, rantai pasok, supply chain",
    ),
    (
        "harga",
        "harga komoditas",
        E_INDUSTRY,
        "harga, komoditas, stok, inflasi, pasokan, distribusi, sembako, tengkulak, pengepul, anjlok, harga pasar,"
        " informasi harga, fluktuasi, harga jual, panel harga, sp2kp",
    ),
    ("tambang", "pertambangan", E_INDUSTRY, "tambang, pertambangan, nikel, batu bara, emas, smelter"),
    # --- Smart Economy: welfare -----------------------------------------------------
    (
        "bansos",
        "bantuan sosial",
        E_WELFARE,
        "bansos, bantuan sosial, penerima, dtks, pkh, blt, miskin, kemiskinan, dinsos, tepat sasaran,"
        " penerima bantuan, regsosek, bpnt, sembako bantuan, kpm, dtsen, kemiskinan ekstrem, warga miskin,"
        " salah sasaran, data penerima",
    ),
    (
        "kerja",
        "lapangan kerja",
        E_WELFARE,
        "lowongan, pengangguran, loker, tenaga kerja, bursa kerja, disnaker, blk, nganggur, pencari kerja,"
        " job fair, lapangan kerja, pekerja migran, pmi, tki, phk, upah, umk, pemuda menganggur, kartu prakerja,"
        " prakerja, angkatan kerja",
    ),
    (
        "jaminan",
        "jaminan sosial",
        E_WELFARE,
        "bpjs, jaminan sosial, asuransi, jkn, kis, iuran, bpjs ketenagakerjaan, jamsostek, pbi, uhc,"
        " jaminan kesehatan, premi, perlindungan pekerja",
    ),
    (
        "pangan",
        "ketahanan pangan",
        E_WELFARE,
        "pangan, beras, lumbung, ketahanan pangan, rawan pangan, cadangan pangan, pangan murah, operasi pasar,"
        " pekarangan, kwt",
    ),
    ("bumdes", "BUMDes", E_WELFARE, "bumdes, badan usaha milik desa, dana desa, bumdesma, koperasi desa, kopdes"),
    ("zakat", "zakat dan filantropi", E_WELFARE, "zakat, baznas, infak, sedekah, donasi, csr, filantropi, wakaf"),
    (
        "perumahan",
        "rumah layak huni",
        E_WELFARE,
        "rumah tidak layak huni, rtlh, bedah rumah, bantuan rumah, rumah layak, bsps, perumahan rakyat",
    ),
    # --- Smart Economy: financial transactions --------------------------------------
    (
        "nontunai",
        "pembayaran nontunai",
        E_FINANCE,
        "qris, nontunai, non tunai, cashless, transfer, pembayaran digital, ewallet, dompet digital,"
        " uang elektronik, emoney, bayar, pembayaran, tunai, scan, gopay, ovo, linkaja, virtual account, edc,"
        " mobile banking",
    ),
    (
        "pajak",
        "pajak daerah",
        E_FINANCE,
        "pajak, pbb, bphtb, pad, wajib pajak, bapenda, pajak daerah, pajak restoran, pajak hotel, pajak online,"
        " epajak, sppt, objek pajak, pendapatan asli daerah, samsat, pajak kendaraan",
    ),
    (
        "retribusi",
        "retribusi",
        E_FINANCE,
        "retribusi, eretribusi, karcis retribusi, pungutan, retribusi pasar, retribusi sampah, tagihan",
    ),
    (
        "pasar",
        "pasar",
        E_FINANCE,
        "pasar, pasar tradisional, los, kios, pedagang pasar, pasar rakyat, pasar ikan, pasar digital, pasar desa",
    ),
    (
        "modal",
        "permodalan",
        E_FINANCE,
        "modal, kredit, pinjaman, kur, koperasi, pinjol, pinjaman online, rentenir, bunga, permodalan,"
        " lintah darat, bank keliling, ultra mikro, umi, mekaar, modal usaha",
    ),
    (
        "bank",
        "layanan bank",
        E_FINANCE,
        "bank, perbankan, atm, laku pandai, rekening, bpd, agen, agen bank, agen brilink, brilink,"
        " inklusi keuangan, tpakd, literasi keuangan, ojk, bank daerah",
    ),
    (
        "transaksipemda",
        "transaksi pemerintah daerah",
        E_FINANCE,
        "elektronifikasi, etpd, tp2dd, kkpd, kartu kredit pemerintah, transaksi pemda, p2dd, cms, sp2d online",
    ),
    # --- Smart Living: spatial harmony ----------------------------------------------
    (
        "ruang",
        "tata ruang",
        L_SPACE,
        "tata ruang, rtrw, rdtr, zonasi, peta, gis, spasial, sig, pemetaan, geoportal, lahan,"
        " sertifikat  alih fungsi, alih fungsi lahan, kkpr, pola ruang, peta digital, one map, batas desa,"
        " batas wilayah, pertanahan, bpn, sengketa lahan, tanah",
    ),
    (
        "mukim",
        "permukiman",
        L_SPACE,
        "permukiman, pemukiman, kumuh, kawasan kumuh, bantaran, perkim, disperkim, kampung atas air,"
        " rumah panggung, penataan kampung, kotaku, rumah warga, perumahan liar",
    ),
    (
        "rth",
        "ruang terbuka hijau",
        L_SPACE,
        "ruang terbuka hijau, rth, ruang publik, taman lingkungan, taman bermain, ruang terbuka, jalur hijau",
    ),
    (
        "sempadan",
        "sempadan dan bangunan liar",
        L_SPACE,
        "sempadan, sempadan pantai, sempadan sungai, bangunan liar, garis sempadan, penertiban bangunan, gsb,"
        " bangunan tanpa izin",
    ),
    (
        "drainasekota",
        "infrastruktur kota",
        L_SPACE,
        "infrastruktur dasar, utilitas, jaringan utilitas, kabel semrawut, kabel udara, ducting, pupr, cipta karya",
    ),
    # --- Smart Living: health -------------------------------------------------------
    (
        "rs",
        "rumah sakit",
        L_HEALTH,
        "rsud, rumah sakit, poli, poliklinik, pasien, dokter, igd, rawat inap, rawat jalan, dokter spesialis,"
        " rujukan, kamar rawat, bed, tempat tidur, ruang rawat, perawat",
    ),
    (
        "puskesmas",
        "puskesmas",
        L_HEALTH,
        "puskesmas, pustu, bidan, klinik, polindes, poskesdes, bidan desa, fasilitas kesehatan, faskes, posbindu,"
        " ilp, puskesmas keliling, pusling",
    ),
    (
        "gizi",
        "stunting dan posyandu",
        L_HEALTH,
        "stunting, gizi, balita, ibu hamil, bumil, tumbuh kembang, imunisasi, bayi, timbang, kurang gizi,"
        " posyandu, kader posyandu, gizi buruk, pmt, tinggi badan, berat badan, kms, baduta, anemia, tpk",
    ),
    (
        "medis",
        "rekam medis",
        L_HEALTH,
        "rekam medis, rme, riwayat penyakit, medis, kartu berobat, satusehat, satu sehat,"
        " sistem informasi rumah sakit, simrs, simpus, ehealth",
    ),
    (
        "telemedis",
        "telemedisin",
        L_HEALTH,
        "telemedis, telemedisin, telemedicine, konsultasi online, konsultasi dokter, telekonsultasi,"
        " dokter online, halodoc, video call dokter",
    ),
    (
        "ambulans",
        "ambulans dan gawat darurat",
        L_HEALTH,
        "ambulans, ambulance, gawat darurat, psc, kegawatdaruratan, ambulans laut, ambulans desa, ugd, emergency medis",
    ),
    ("obat", "obat", L_HEALTH, "obat, apotek, farmasi, resep, stok obat, obat kosong, gudang farmasi, ifk"),
    (
        "penyakit",
        "penyakit menular",
        L_HEALTH,
        "penyakit menular, dbd, demam berdarah, tbc, tb, malaria, hiv, diare, covid, wabah, jentik, fogging,"
        " kusta, campak, surveilans, kasus penyakit, ispa",
    ),
    (
        "airbersih",
        "air bersih dan sanitasi",
        L_HEALTH,
        "air bersih, pdam, air minum, air keruh, sumur, pipa, meteran air, perumda air, air mati, keruh, spam,"
        " pamsimas, tandon, penampung air hujan, jamban, sanitasi, stbm, buang air besar, babs, mck, air bor,"
        " kekeringan air, distribusi air, ledeng",
    ),
    (
        "nakes",
        "tenaga kesehatan",
        L_HEALTH,
        "tenaga kesehatan, nakes, dokter kurang, kekurangan dokter, kekurangan bidan, tenaga medis, dokter umum",
    ),
    (
        "jiwa",
        "kesehatan jiwa dan lansia",
        L_HEALTH,
        "kesehatan jiwa, odgj, gangguan jiwa, kesehatan mental, depresi, posyandu lansia",
    ),
    # --- Smart Living: mobility -----------------------------------------------------
    (
        "angkutan",
        "angkutan umum",
        L_MOBILITY,
        "angkutan, angkutan kota, angkutan umum, angkutan desa, angdes, bus, transportasi umum, trayek, halte,"
        " terminal, brt, travel, jadwal bus, penumpang, armada, minibus, damri, bus sekolah, teman bus,"
        " buy the service, transportasi publik, bis",
    ),
    (
        "ojek",
        "ojek",
        L_MOBILITY,
        "ojek, ojek online, ojol, ojek lokal, ojek pangkalan, gojek, grab, maxim, bentor, becak",
    ),
    (
        "jalan",
        "jalan rusak",
        L_MOBILITY,
        "jalan rusak, jalan berlubang, berlubang, aspal, perbaikan jalan, jembatan, jalan desa, jalan kabupaten,"
        " jalan lingkungan, jalan tanah, jalan licin, jalan becek, jalan putus, pengaspalan, rabat beton,"
        " jalan usaha tani, jalan poros, akses jalan, betonisasi, jalan longsor",
    ),
    (
        "macet",
        "lalu lintas",
        L_MOBILITY,
        "macet, kemacetan, lalu lintas, traffic light, lampu merah, lampu lalu lintas, apill, simpang,"
        " persimpangan, atcs, rekayasa lalu lintas, rambu, marka, zebra cross, penyeberangan jalan, kecelakaan,"
        " laka lantas, dishub, dinas perhubungan, etle, tilang",
    ),
    (
        "parkir",
        "parkir",
        L_MOBILITY,
        "parkir, juru parkir, jukir, eparking, parkir liar, parkir elektronik, lahan parkir, tarif parkir",
    ),
    (
        "pju",
        "penerangan jalan",
        L_MOBILITY,
        "penerangan jalan umum, lampu jalan, gelap gulita, penerangan, lampu mati, jalan gelap, lampu penerangan",
    ),
    (
        "kapal",
        "kapal dan penyeberangan",
        L_MOBILITY,
        "kapal, perahu, speedboat, speed boat, pelabuhan, dermaga, penyeberangan, feri, ferry, kapal cepat,"
        " tiket kapal, asdp, kapal perintis, jadwal kapal, pelni, longboat, pompong, kapal motor, syahbandar",
    ),
    (
        "udara",
        "bandara",
        L_MOBILITY,
        "bandara, pesawat, penerbangan, bandar udara, tiket pesawat, airport, rute penerbangan",
    ),
    (
        "pedestrian",
        "pejalan kaki dan sepeda",
        L_MOBILITY,
        "trotoar, pedestrian, pejalan kaki, jalur sepeda, sepeda, bike sharing, jalur pedestrian, ramah pejalan",
    ),
    ("kir", "uji kendaraan", L_MOBILITY, "uji kir, kir, uji kendaraan, odol, overload, muatan lebih, jembatan timbang"),
    # --- Smart Society: community ---------------------------------------------------
    (
        "warga",
        "interaksi warga",
        S_COMMUNITY,
        "forum warga, grup, grup whatsapp, grup warga, komunitas, gotong royong, musyawarah, kerja bakti, paguyuban",
    ),
    (
        "inklusi",
        "disabilitas dan lansia",
        S_COMMUNITY,
        "disabilitas, difabel, lansia, inklusi, inklusif, kursi roda, tunanetra, tunarungu, penyandang,"
        " ramah disabilitas, bahasa isyarat, aksesibilitas, lanjut usia",
    ),
    (
        "kreatif",
        "ruang kreatif",
        S_COMMUNITY,
        "ruang kreatif, ruang komunitas, creative hub, ruang berkumpul, balai warga, gedung serbaguna,"
        " sanggar kreatif, anak muda, milenial, kreator, olahraga, gor, lapangan olahraga, sport center",
    ),
    ("balai", "balai desa", S_COMMUNITY, "balai desa, kantor desa, balai kampung, aula desa, pendopo"),
    (
        "agama",
        "kehidupan beragama",
        S_COMMUNITY,
        "masjid, gereja, pura, vihara, rumah ibadah, keagamaan, toleransi, kerukunan, fkub",
    ),
    (
        "aduananak",
        "perlindungan perempuan dan anak",
        S_SECURITY,
        "kekerasan, kekerasan anak, kekerasan perempuan, kdrt, perundungan, bullying, pelecehan, p2tp2a,"
        " uptd ppa, dp3a, perlindungan anak, pernikahan dini, perkawinan anak, eksploitasi anak, trafficking, tppo",
    ),
    # --- Smart Society: learning ----------------------------------------------------
    (
        "sekolah",
        "sekolah",
        S_LEARNING,
        "sekolah, siswa, murid, pelajar, guru, sd, smp, sma, smk, ppdb, spmb, kelas, belajar, pembelajaran,"
        " disdik, dinas pendidikan, rapor, dapodik, kepala sekolah, tenaga pendidik, kurikulum, ujian, paud, tk,"
        " madrasah, pesantren, sekolah rusak, ruang kelas",
    ),
    (
        "belajardaring",
        "belajar daring",
        S_LEARNING,
        "elearning, belajar online, kelas online, kelas daring, sekolah online, rumah belajar,"
        " pembelajaran digital, lms, tablet sekolah, chromebook, laptop siswa, smartboard, papan tulis digital",
    ),
    (
        "baca",
        "perpustakaan dan literasi",
        S_LEARNING,
        "perpustakaan, buku, baca, membaca, literasi, pustaka, taman baca, ebook, perpustakaan keliling,"
        " minat baca, ipusnas, pojok baca, dispusip, perpustakaan digital, tbm",
    ),
    (
        "literasidigital",
        "literasi digital dan hoaks",
        S_LEARNING,
        "hoaks, hoax, berita bohong, literasi digital, melek digital, cek fakta, provokasi, penipuan online,"
        " scam, judi online, judol, keamanan digital, etika digital, gagap teknologi, gaptek, misinformasi,"
        " disinformasi",
    ),
    (
        "latih",
        "pelatihan",
        S_LEARNING,
        "pelatihan, latih, workshop, bimtek, kursus, keterampilan, coding, sertifikasi keahlian, magang,"
        " upskilling, reskilling, kelas digital, vokasi, lpk, sekolah vokasi, diklat, digital talent, dts",
    ),
    (
        "beasiswa",
        "beasiswa",
        S_LEARNING,
        "beasiswa, putus sekolah, biaya sekolah, kuliah, mahasiswa, kip, kartu indonesia pintar, pip,"
        " anak tidak sekolah, ats, kampus, perguruan tinggi, universitas",
    ),
    (
        "bahasa",
        "bahasa dan muatan lokal",
        S_LEARNING,
        "bahasa daerah, bahasa ibu, muatan lokal, mulok, aksara, bahasa inggris, kamus, belajar bahasa",
    ),
    # --- Smart Society: security ----------------------------------------------------
    ("cctv", "CCTV", S_SECURITY, "cctv, kamera, kamera pengawas, rekaman, kamera cctv, pemantauan kamera, ip camera"),
    (
        "ronda",
        "keamanan lingkungan",
        S_SECURITY,
        "ronda, pos ronda, siskamling, linmas, maling, pencurian, kriminal, begal, keamanan lingkungan, preman,"
        " kejahatan, curi, satpol pp, polisi, bhabinkamtibmas, babinsa, kamtibmas, jaga malam, poskamling,"
        " kemalingan",
    ),
    (
        "darurat",
        "panggilan darurat",
        S_SECURITY,
        "panggilan darurat, layanan darurat, panic button, tombol darurat, tombol panik, nomor darurat,"
        " command center, ncc, pusat komando",
    ),
    (
        "bencana",
        "bencana",
        S_SECURITY,
        "bencana, bpbd, gempa, longsor, tsunami, evakuasi, peringatan dini, ews, early warning, mitigasi, siaga,"
        " sirine, tanggap darurat, jalur evakuasi, titik kumpul, destana, desa tangguh, pengungsi, posko, erupsi,"
        " gunung api, puting beliung, angin kencang, kebencanaan",
    ),
    (
        "cuaca",
        "informasi cuaca",
        S_SECURITY,
        "cuaca, bmkg, prakiraan cuaca, gelombang tinggi, angin, ombak, badai, iklim ekstrem, info cuaca, curah hujan",
    ),
    (
        "api",
        "kebakaran",
        S_SECURITY,
        "kebakaran, damkar, terbakar, hydrant, hidran, apar, pemadam kebakaran, api, kebakaran rumah",
    ),
    (
        "narkoba",
        "kenakalan remaja",
        S_SECURITY,
        "narkoba, tawuran, kenakalan remaja, geng motor, miras, balap liar, bnn, narkotika, mabuk, minuman keras",
    ),
    # --- Smart Environment: protection ----------------------------------------------
    (
        "cemar",
        "pencemaran",
        V_PROTECTION,
        "cemar, pencemaran, tercemar, limbah pabrik, limbah industri, polusi, kualitas air, kualitas udara, asap,"
        " bau busuk, ispu, emisi, amdal, ukl upl, sensor kualitas, pencemaran udara, pencemaran air",
    ),
    (
        "hijau",
        "penghijauan",
        V_PROTECTION,
        "tanam pohon, pohon, penghijauan, reboisasi, hutan, bibit pohon, rehabilitasi hutan, hutan kota,"
        " deforestasi, pembalakan, illegal logging, karhutla, kebakaran hutan, hutan lindung",
    ),
    (
        "mangrove",
        "mangrove dan abrasi",
        V_PROTECTION,
        "mangrove, bakau, abrasi, pesisir, erosi pantai, tanggul laut, pemecah ombak, garis pantai, pantai terkikis",
    ),
    (
        "karang",
        "terumbu karang dan laut",
        V_PROTECTION,
        "terumbu karang, terumbu, bom ikan, potasium, bius ikan, kawasan konservasi, konservasi laut, penyu,"
        " dugong, ekosistem laut, destructive fishing, pengawasan laut, pokmaswas",
    ),
    (
        "sungai",
        "sungai",
        V_PROTECTION,
        "sungai, danau, bantaran sungai, das, normalisasi sungai, waduk, embung, rawa, mata air",
    ),
    (
        "banjir",
        "banjir dan drainase",
        V_PROTECTION,
        "banjir, drainase, genangan, gorong gorong, goronggorong, selokan, rob, luapan, tergenang, got,"
        " saluran air, sumur resapan, biopori, kanal, pompa banjir, banjir bandang, tanggul",
    ),
    (
        "iklim",
        "perubahan iklim",
        V_PROTECTION,
        "perubahan iklim, pemanasan global, emisi karbon, karbon, jejak karbon, proklim, kampung iklim, net zero,"
        " gas rumah kaca",
    ),
    (
        "satwa",
        "satwa dan keanekaragaman hayati",
        V_PROTECTION,
        "satwa, satwa liar, keanekaragaman hayati, burung, perburuan, spesies, flora, fauna, kebun raya",
    ),
    (
        "lahan",
        "kerusakan lahan",
        V_PROTECTION,
        "tambang ilegal, peti, galian liar, pasir ilegal, kerusakan lingkungan, lahan kritis, reklamasi, bekas tambang",
    ),
    # --- Smart Environment: waste ---------------------------------------------------
    (
        "sampah",
        "sampah",
        V_WASTE,
        "sampah, rongsok, tps, tpa, tong sampah, buang sampah, sampah liar, truk sampah, angkut sampah,"
        " pengangkutan sampah, jadwal angkut, petugas kebersihan, gerobak sampah, kontainer sampah, tempat sampah,"
        " sampah menumpuk, iuran sampah, tpst, sanitary landfill, open dumping, dlh, dinas lingkungan hidup",
    ),
    (
        "pilah",
        "pilah dan daur ulang",
        V_WASTE,
        "pilah, pilah sampah, tabungan sampah, memilah, daur ulang, recycle, bank sampah, kompos, komposter,"
        " organik, anorganik, tps3r, 3r, maggot, bsf, ecobrick, reduce, reuse, sedekah sampah, nabung sampah,"
        " pengepul sampah, sampah bernilai, tukar sampah, kerajinan sampah",
    ),
    (
        "plastik",
        "sampah plastik",
        V_WASTE,
        "plastik, kantong plastik, sedotan, botol plastik, styrofoam, kresek, mikroplastik, tumbler,"
        " diet plastik, sampah laut, sampah pantai, sampah kiriman",
    ),
    (
        "limbah",
        "limbah",
        V_WASTE,
        "limbah, limbah cair, ipal, b3, limbah b3, limbah medis, limbah rumah tangga, tinja, lumpur tinja, iplt,"
        " septic tank, septik, sedot wc, limbah domestik, limbah ikan, oli bekas, jelantah, minyak jelantah",
    ),
    # --- Smart Environment: energy --------------------------------------------------
    (
        "surya",
        "tenaga surya",
        V_ENERGY,
        "plts, surya, matahari, tenaga surya, panel surya, solar panel, solar cell, pju surya, pjuts,"
        " lampu surya, atap surya, plts atap, solar home system, shs",
    ),
    (
        "listrik",
        "listrik",
        V_ENERGY,
        "listrik, pln, genset, listrik padam, pemadaman listrik, byarpet, daya listrik, token listrik,"
        " desa gelap, teraliri listrik, elektrifikasi, jaringan listrik, tegangan, gardu, kwh, meteran listrik,"
        " listrik desa",
    ),
    (
        "hemat",
        "hemat energi",
        V_ENERGY,
        "hemat energi, hemat listrik, efisiensi energi, konservasi energi, boros listrik, lampu led, led,"
        " ac hemat, smart meter, audit energi, matikan lampu, tagihan listrik, penghematan",
    ),
    (
        "terbarukan",
        "energi terbarukan",
        V_ENERGY,
        "energi terbarukan, terbarukan, ebt, biogas, mikrohidro, pltmh, biomassa, pltb, angin turbin, turbin,"
        " energi baru, energi bersih, panas bumi, geothermal, bioenergi, energi alternatif",
    ),
    (
        "kendaraanlistrik",
        "kendaraan listrik",
        V_ENERGY,
        "kendaraan listrik, motor listrik, mobil listrik, spklu, stasiun pengisian, konversi motor, bbm,"
        " bahan bakar, solar subsidi, spbu",
    ),
)

# Words that say where an idea belongs, not what it is about: offices, broad programmes,
# a field's general words. They vote for the sub-element, they do not link two ideas.
CUES: tuple[tuple[str, str], ...] = (
    (
        G_SERVICE,
        "pelayanan publik, layanan publik, pelayanan prima, standar pelayanan, maklumat pelayanan, sop pelayanan,"
        " waktu pelayanan, dokumen, berkas, syarat, persyaratan, urus, mengurus, petugas loket, jam pelayanan,"
        " capil, dukcapil",
    ),
    (
        G_BUREAU,
        "birokrasi, tata kelola, sekretariat daerah, setda, diskominfo, kominfo, persandian, statistik sektoral,"
        " aplikasi dinas, internal pemda, antar opd, lintas opd, pegawai pemda, efisiensi birokrasi, kantor dinas,"
        " pimpinan, kepala dinas, eselon",
    ),
    (
        G_POLICY,
        "kebijakan, kebijakan publik, bupati, walikota, wali kota, gubernur, kepala daerah, legislatif,"
        " pemangku kepentingan, stakeholder, lintas sektor, komitmen, sinkronisasi program, rencana aksi",
    ),
    (
        B_TOURISM,
        "pengunjung, wisata kuliner, pantai wisata, obyek, tamu, kunjungan, pesona, keindahan alam, atraksi,"
        " daya tarik",
    ),
    (
        B_BUSINESS,
        "usaha, bisnis, dagang, omzet, pelanggan, konsumen, produk unggulan, daya saing, pasar online, jual beli,"
        " penjualan",
    ),
    (
        B_CITY,
        "wajah, citra kota, identitas kota, tampilan kota, penataan kawasan, penataan kota, kawasan, ikon,"
        " cantik, rapi, semrawut, kumuh kota",
    ),
    (
        E_INDUSTRY,
        "produksi, hasil panen, hasil tangkapan, komoditas unggulan, sektor unggulan, produktivitas,"
        " petani milenial, dinas pertanian, dinas perikanan",
    ),
    (
        E_WELFARE,
        "kesejahteraan, sejahtera, penghasilan, ekonomi warga, ekonomi keluarga, rentan, bantuan, sosial,"
        " pendamping sosial, yatim, terlantar",
    ),
    (
        E_FINANCE,
        "keuangan, transaksi, uang, biaya, setor, setoran, kasir, kwitansi, struk, nota, digital payment,"
        " payment, bi, bank indonesia",
    ),
    (
        L_SPACE,
        "tata kota, bangunan, pembangunan kawasan, penataan, perkotaan, wilayah, kawasan permukiman, lingkungan hunian",
    ),
    (
        L_HEALTH,
        "kesehatan, sehat, sakit, dinkes, dinas kesehatan, layanan kesehatan, periksa, pemeriksaan,"
        " cek kesehatan, kesehatan ibu, ibu dan anak, jkn mobile, mobile jkn, warga sakit",
    ),
    (
        L_MOBILITY,
        "jalan, transportasi, kendaraan, perjalanan, mobilitas, rute, ongkos, motor, mobil, sopir, supir,"
        " pengemudi, perhubungan",
    ),
    (
        S_COMMUNITY,
        "rt, rw, ketua rt, pengurus rt, karang taruna, pemuda, relawan, pkk, dasawisma, majelis taklim,"
        " tokoh masyarakat, organisasi masyarakat, ormas, kepemudaan, kebersamaan, guyub, interaksi,"
        " kegiatan warga, partisipasi warga, ruang publik digital",
    ),
    (S_LEARNING, "pendidikan, edukasi, pengetahuan, belajar mengajar, literasi, pelajar, anak sekolah, ilmu"),
    (
        S_SECURITY,
        "keamanan, aman, rawan, bahaya, darurat, waspada, selamat, keselamatan, pengawasan, patroli, tertib,"
        " ketertiban, trantib",
    ),
    (
        V_PROTECTION,
        "lingkungan, lingkungan hidup, alam, ekosistem, kelestarian, lestari, konservasi, pelestarian, rusak,"
        " kerusakan, udara",
    ),
    (V_WASTE, "kotor, jorok, kebersihan, buang, bau, lalat, tumpukan, pembuangan"),
    (V_ENERGY, "energi, hemat, pembangkit, kelistrikan, esdm"),
)

# Words present in ideas of every dimension: they say "digital" or "do something", not
# what. They still count, but much less than a subject word.
GENERIC_WORDS = (
    "aplikasi online sistem digital program layan pelayanan informasi masyarakat warga kota kabupaten daerah desa"
    " pemerintah dinas opd kantor baik tingkat tingkatkan bangun adakan sedia sediakan kembang butuh fasilitas"
    " mudah cepat lambat lama susah sulit ribet kurang banyak sering jarang manual berbasis smart website web"
    " kelola kelurahan kecamatan nagari kampung orang semua satu tiap buat guna pakai kerja sama jadi hari bulan"
    " tahun jam ada punya bikin urus proses akses gratis mahal khusus baru terpadu lebih maksimal optimal platform"
    " portal integrasi inovasi teknologi elektronik fitur menu notifikasi update real time realtime perlu wajib"
    " lokal umum publik pusat unit ponsel whatsapp hp android ios gadget perangkat"
)
