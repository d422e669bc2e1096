/// An incremental RFC 4180 CSV parser: feed it bytes in chunks of any size and it returns each record as soon as
/// the record is complete, so a 250,000-row import reads in memory bounded by one record.
///
/// It accepts what spreadsheets and school MIS systems write: a UTF-8 byte order mark at the very start (skipped),
/// CRLF, LF or bare CR line ends, fields in double quotes with `""` for a quote and with commas and line breaks
/// inside, and empty fields. A line with no bytes at all is skipped, but still counted, so a record's
/// ``CSVRecord/line`` is always the physical line it starts on (the header is line 1). Quoted line breaks are kept
/// exactly as written.
///
/// Leniency: a `"` inside an unquoted field is kept as text. Problems that would silently damage data are reported
/// on the record instead (``CSVRecord/Problem``): invalid UTF-8 (the field is decoded with replacement
/// characters, and the importer must reject the record), text after a closing quote, and a record over
/// `maxRecordBytes` (the excess is dropped, keeping memory bounded). An unterminated quote is an error from
/// ``finish()``, naming the line where the quoted field began.
public struct CSVRecordReader: Sendable {
    private enum State: Sendable {
        /// Between records, where an empty line is skipped.
        case recordStart
        /// At the start of a field, where a quote opens a quoted field.
        case fieldStart
        case unquoted
        case quoted
        /// Just after a quote inside a quoted field: a second quote is a literal quote, anything else ends it.
        case quoteInQuoted
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The most bytes one record may hold; beyond it the record is reported as ``CSVRecord/Problem/tooLong(limit:)``.
    public let maxRecordBytes: Int

    private var state = State.recordStart
    /// The physical line of the next byte.
    private var line = 1
    private var recordLine = 1
    private var quoteLine = 1
    /// The previous byte was a CR, so an LF now completes the same line break.
    private var afterCarriageReturn = false
    /// Bytes seen so far while it is still undecided whether the input starts with a byte order mark.
    private var startBytes: [UInt8]? = []
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var recordBytes = 0
    private var problem: CSVRecord.Problem?
    private var completed: [CSVRecord] = []

    /// A reader at the start of a file. `maxRecordBytes` (default 1 MiB) bounds the memory one record may take.
    public init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Reads the next chunk of the file and returns the records it completed, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [CSVRecord] {
        // A contiguous buffer is walked directly; the generic iterator would cost a witness call per byte.
        let walked: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            consume(buffer)
        }
        if walked == nil {
            consume(Array(bytes))
        }
        defer { completed.removeAll(keepingCapacity: true) }
        return completed
    }

    /// Ends the file and returns the last record if it had no line break after it. The reader is then ready for a
    /// new file.
    ///
    /// - Throws: a ``ValidationError`` (field `file`) when a quoted field is never closed, with the line on which
    ///   the quote opened.
    public mutating func finish() throws(ValidationError) -> [CSVRecord] {
        if let pending = startBytes {
            // A file shorter than a byte order mark that began like one: those bytes are data.
            startBytes = nil
            for byte in pending {
                consume(byte)
            }
        }
        defer { self = CSVRecordReader(maxRecordBytes: maxRecordBytes) }
        switch state {
        case .recordStart:
            break
        case .quoted:
            throw ValidationError(
                field: "file",
                message: "a quoted field starts on this line and its closing double quote is missing; add the "
                    + "closing quote (and double any quote inside the field)",
                line: quoteLine
            )
        case .fieldStart, .unquoted, .quoteInQuoted:
            endRecord()
        }
        return completed
    }

    private mutating func consume(_ bytes: some Collection<UInt8>) {
        for byte in bytes {
            if startBytes != nil {
                consumeStart(byte)
            } else {
                consume(byte)
            }
        }
    }

    private mutating func consumeStart(_ byte: UInt8) {
        var pending = startBytes!
        pending.append(byte)
        if pending == CSVRecordReader.byteOrderMark {
            startBytes = nil
        } else if CSVRecordReader.byteOrderMark.starts(with: pending) {
            startBytes = pending
        } else {
            startBytes = nil
            for pendingByte in pending {
                consume(pendingByte)
            }
        }
    }

    private mutating func consume(_ byte: UInt8) {
        let completesCRLF = afterCarriageReturn && byte == CSVRecordReader.lineFeed
        afterCarriageReturn = false
        switch state {
        case .recordStart:
            if completesCRLF {
                return
            }
            if isLineBreak(byte) {
                newLine(after: byte)  // an empty line: skipped, but counted
                return
            }
            recordLine = line
            state = .fieldStart
            consume(byte)
        case .fieldStart:
            switch byte {
            case CSVRecordReader.quote:
                quoteLine = line
                state = .quoted
            case CSVRecordReader.comma:
                endField()
            case CSVRecordReader.carriageReturn, CSVRecordReader.lineFeed:
                endRecord()
                newLine(after: byte)
            default:
                append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case CSVRecordReader.comma:
                endField()
                state = .fieldStart
            case CSVRecordReader.carriageReturn, CSVRecordReader.lineFeed:
                endRecord()
                newLine(after: byte)
            default:
                append(byte)
            }
        case .quoted:
            if byte == CSVRecordReader.quote {
                state = .quoteInQuoted
                return
            }
            append(byte)
            if isLineBreak(byte) && !completesCRLF {
                newLine(after: byte)
            }
        case .quoteInQuoted:
            switch byte {
            case CSVRecordReader.quote:
                append(byte)
                state = .quoted
            case CSVRecordReader.comma:
                endField()
                state = .fieldStart
            case CSVRecordReader.carriageReturn, CSVRecordReader.lineFeed:
                endRecord()
                newLine(after: byte)
            default:
                if problem == nil {
                    problem = .textAfterClosingQuote(fieldIndex: fields.count)
                }
                append(byte)
                state = .unquoted
            }
        }
    }

    private func isLineBreak(_ byte: UInt8) -> Bool {
        byte == CSVRecordReader.carriageReturn || byte == CSVRecordReader.lineFeed
    }

    private mutating func newLine(after byte: UInt8) {
        line += 1
        afterCarriageReturn = byte == CSVRecordReader.carriageReturn
    }

    private mutating func append(_ byte: UInt8) {
        recordBytes += 1
        if recordBytes <= maxRecordBytes {
            field.append(byte)
        } else if problem == nil {
            problem = .tooLong(limit: maxRecordBytes)
        }
    }

    private mutating func endField() {
        if let text = String(validating: field, as: UTF8.self) {
            fields.append(text)
        } else {
            if problem == nil {
                problem = .invalidUTF8(fieldIndex: fields.count)
            }
            fields.append(String(decoding: field, as: UTF8.self))
        }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord() {
        endField()
        completed.append(CSVRecord(fields: fields, line: recordLine, problem: problem))
        fields.removeAll(keepingCapacity: true)
        recordBytes = 0
        problem = nil
        state = .recordStart
    }
}
