"""Common Cartridge export: the curriculum as an IMS CC 1.1 package (web pages and QTI 1.2.1 quizzes) for Moodle,
and a Thin CC 1.3 package of LTI links back to the platform for Brightspace and Canvas."""
