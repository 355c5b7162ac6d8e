"""Words the word cloud leaves out: Indonesian and English function words.

Written for this project (not copied from a corpus list). The widely used lists
(Tala's, Sastrawi's) also drop words such as "masalah", "baru", "awal", "besar" or
"bagian"; on a workshop board those carry meaning, so they are kept here. What is
left out is grammar, filler and the abbreviations people type on phones in a hurry
("yg", "utk"). Domain words (smart, digital, data, masyarakat, pemerintah, layanan,
OPD, RSUD…) are never stop words. Entries are lower case, as the cloud compares
them after case folding; entries shorter than 3 letters are listed for completeness
even though the cloud drops such tokens anyway.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


INDONESIAN = _words(
    # conjunctions and connectives
    """
    dan atau serta tetapi tapi namun sedangkan melainkan padahal karena karna
    sebab sehingga maka jika kalau kalo klo bila apabila jikalau agar supaya
    meski meskipun walau walaupun biarpun bahwa bahwasanya hingga sampai ketika
    saat sewaktu selama sambil seraya lalu kemudian setelah sesudah sebelum sejak
    maupun baik yaitu yakni ialah adalah merupakan berupa selain apalagi bahkan
    adapun sedang seandainya andaikan asalkan
    """
    # prepositions
    """
    yang di ke dari pada kepada daripada dalam untuk bagi buat dengan oleh tentang
    terhadap mengenai antara antar atas sekitar menuju melalui lewat tanpa per
    via demi seperti sebagai sesuai menurut berdasarkan terkait sepanjang
    """
    # pronouns, demonstratives, question words
    """
    saya aku kami kita anda kamu engkau kau dia beliau mereka kalian gue gua
    diri sendiri nya ini itu sini situ sana begini begitu demikian tersebut
    berikut tadi apa siapa mana bagaimana gimana mengapa kenapa kapan berapa
    dimana kemana darimana apakah apapun siapapun manapun
    """
    # negation, aspect, modality
    """
    tidak tak bukan jangan belum enggak nggak ngga gak akan telah sudah udah
    pernah masih sempat bisa dapat boleh harus mesti perlu perlunya diperlukan
    butuh dibutuhkan membutuhkan ingin mau hendak
    """
    # degree, quantity, frequency, time
    """
    sangat amat sekali paling lebih kurang cukup terlalu makin semakin agak
    hanya cuma saja aja juga pula lagi pun terus kembali tetap memang tentu
    tentunya mungkin pasti benar betul hampir justru malah sebenarnya biasanya
    biasa umumnya khususnya terutama sering selalu kadang sekarang kini nanti
    dulu dahulu segera semua semuanya seluruh segala segenap setiap tiap para
    banyak sedikit beberapa sebagian berbagai sejumlah masing sama lain lainnya
    misal misalnya contohnya sebaiknya sebaik
    """
    # empty nouns and verbs: "hal", "cara", "adanya", "membuat" say nothing alone
    """
    ada adanya hal cara secara sebuah seorang suatu sesuatu jadi menjadi membuat
    dibuat pembuatan melakukan dilakukan memberikan diberikan memiliki
    mempunyai punya terdapat menggunakan digunakan pihak
    """
    # particles and enclitics, written alone
    """
    lah kah tah pun dong deh sih kok loh lho kan toh yah nah nih
    """
    # abbreviations typed on phones
    """
    yg dgn dg utk tsb dlm pd krn sdh blm jg dr sbg spt bbrp thd ttg tdk kpd
    gk ga bs sj dll dsb dst dkk
    """
)

ENGLISH = _words(
    # articles, pronouns, determiners
    """
    the and but nor for yet also either neither whether though although however
    because since unless until while whereas than then so thus hence therefore
    i me my mine myself we us our ours ourselves you your yours yourself
    yourselves he him his himself she her hers herself it its itself they them
    their theirs themselves this that these those who whom whose which what
    whatever when where why how all any both each every few many much more most
    other another some such own same only just very too enough lot lots etc
    """
    # prepositions
    """
    a an of to in on at by from with without within into onto upon about above
    below over under between among across through during before after against
    along around toward towards via per off out up down near like
    """
    # auxiliaries and empty verbs
    """
    is am are was were be been being have has had having do does did doing done
    can could will would shall should may might must need needs make made get
    got let using
    """
    # adverbs and negation
    """
    not no yes here there now again once ever never always still even already
    quite rather really
    """
    # pieces of contractions: apostrophes split "don't" into "don" and "t"
    """
    don doesn didn isn aren wasn weren won wouldn shouldn couldn haven
    hasn hadn ll ve re
    """
)

ALL = INDONESIAN | ENGLISH
