// Lesson editor: django-prose-editor's ProseMirror build takes over the textarea.
// Imported by relative path (no inline import map: the CSP allows no inline script).
// Whatever it produces is sanitised again on the server (learning/richtext.py).
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Gapcursor, HardBreak, Heading, History,
  HorizontalRule, Image, Italic, Link, ListItem, Menu, OrderedList, Paragraph, Text,
  createTextareaEditor, initializeEditors,
} from "../django_prose_editor/editor.js";

function create(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  return createTextareaEditor(textarea, [
    Document, Dropcursor, Gapcursor, Paragraph, HardBreak, Text, History, Menu,
    Bold, Italic, Heading.configure({ levels: [2, 3, 4] }), BulletList, OrderedList, ListItem,
    Blockquote, HorizontalRule, Link, Image,
  ]);
}

initializeEditors(create, "[data-lesson-editor]");
