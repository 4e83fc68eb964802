// A script body that raises on the caller, without any remote call.
def parse(String text) {
    Integer.parseInt(text)
}

println 'before'
parse('forty-two')
