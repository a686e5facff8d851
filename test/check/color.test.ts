/** When the check's text report is coloured (issue 11, problem 7): as Pulumi's CLI decides, plus FORCE_COLOR. */
import { expect } from "chai";
import { useColor } from "../../tools/check/color";

describe("check colour", function () {
    it("auto: a terminal gets colour unless NO_COLOR is set (even empty) or TERM=dumb", function () {
        expect(useColor("auto", {}, true)).to.equal(true);
        expect(useColor("auto", {}, false)).to.equal(false);
        expect(useColor("auto", { NO_COLOR: "" }, true)).to.equal(false);
        expect(useColor("auto", { NO_COLOR: "1" }, true)).to.equal(false);
        expect(useColor("auto", { TERM: "dumb" }, true)).to.equal(false);
        expect(useColor("auto", { TERM: "xterm-256color" }, true)).to.equal(true);
    });

    it("auto: FORCE_COLOR colours a pipe (CI logs), 0 or false turns it off, NO_COLOR still wins", function () {
        expect(useColor("auto", { FORCE_COLOR: "1" }, false)).to.equal(true);
        expect(useColor("auto", { FORCE_COLOR: "" }, false)).to.equal(true);
        expect(useColor("auto", { FORCE_COLOR: "0" }, true)).to.equal(false);
        expect(useColor("auto", { FORCE_COLOR: "false" }, true)).to.equal(false);
        expect(useColor("auto", { FORCE_COLOR: "1", TERM: "dumb" }, false)).to.equal(true);
        expect(useColor("auto", { FORCE_COLOR: "1", NO_COLOR: "1" }, true)).to.equal(false);
    });

    it("an explicit --color always or never wins over every variable", function () {
        expect(useColor("always", { NO_COLOR: "1", TERM: "dumb" }, false)).to.equal(true);
        expect(useColor("never", { FORCE_COLOR: "1" }, true)).to.equal(false);
    });
});
