"""The test suite, laid out like the code: parsers/, index/, bot/ (question/, numbers/, passages/),
web/ (the page), eval/, and system/ (real processes, crashes, load, the browser)."""
