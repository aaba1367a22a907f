// Run by OmegaT in console mode (tests/test_omegat.py): prints, as JSON lines, what OmegaT
// itself read from the project's glossary files and translation memories.  OmegaT runs the
// script on more than one project event; it prints once.
import groovy.json.JsonOutput
import org.omegat.gui.glossary.GlossaryManager

if (System.getProperty("annotate.probe.done") != null) return
System.setProperty("annotate.probe.done", "1")

def props = project.getProjectProperties()
def manager = new GlossaryManager(null)
manager.@priorityGlossary = new File(props.getWriteableGlossary())
// the loader OmegaT's glossary pane uses: picks the reader by file name, null for a skipped file
def load = GlossaryManager.getDeclaredMethod("loadGlossaryFile", File.class)
load.setAccessible(true)
new File(props.getGlossaryRoot()).listFiles().sort { it.name }.each { f ->
    def entries = null
    def error = null
    try { entries = load.invoke(manager, f) } catch (Exception e) { error = (e.cause ?: e).toString() }
    println "PROBE " + JsonOutput.toJson([glossary: f.name, error: error,
        entries: entries?.collect { [it.getSrcText(), it.getLocText(), it.getCommentText()] }])
}
project.getTransMemories().each { name, tmx ->
    println "PROBE " + JsonOutput.toJson([tm: new File(name).parentFile.name + "/" + new File(name).name,
        entries: tmx.getEntries().collect { [it.source, it.translation] }])
}
